project_id    = "shelfwatch-prod"
region        = "europe-west1"
environment   = "prod"
min_instances = 0
max_instances = 20
# Pushes wait on politeness delays, so more at once than CPU alone suggests.
concurrency = 20
memory      = "1Gi" # bodies up to SCRAPER_MAX_BODY_BYTES are parsed in memory
