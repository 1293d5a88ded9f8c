project_id        = "shelfwatch-dev"
region            = "europe-west1"
environment       = "dev"
min_instances     = 0
max_instances     = 2
database_pool_max = 5
log_level         = "debug"
# At most database_pool_max: each message holds a connection.
concurrency = 5
