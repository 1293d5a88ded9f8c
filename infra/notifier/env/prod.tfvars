project_id    = "shelfwatch-prod"
region        = "europe-west1"
environment   = "prod"
min_instances = 1
max_instances = 5
concurrency   = 10
