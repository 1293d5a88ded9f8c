// Keep Google client libraries off the cloud metadata server in every test process.
process.env.METADATA_SERVER_DETECTION ??= 'none';
process.env.GOOGLE_CLOUD_PROJECT ??= 'shelfwatch-test';
