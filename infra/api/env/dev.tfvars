project_id        = "shelfwatch-dev"
region            = "europe-west1"
environment       = "dev"
min_instances     = 0
max_instances     = 3
database_pool_max = 5
log_level         = "debug"
concurrency       = 80
