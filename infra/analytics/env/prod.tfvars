project_id        = "shelfwatch-prod"
region            = "europe-west1"
environment       = "prod"
min_instances     = 1
max_instances     = 5
database_pool_max = 5
# At most database_pool_max: each message holds a connection.
concurrency = 5
