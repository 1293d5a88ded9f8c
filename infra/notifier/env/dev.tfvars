project_id    = "shelfwatch-dev"
region        = "europe-west1"
environment   = "dev"
min_instances = 0
max_instances = 2
concurrency   = 10
log_level     = "debug"
