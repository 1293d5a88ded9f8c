project_id        = "shelfwatch-prod"
region            = "europe-west1"
environment       = "prod"
min_instances     = 1
max_instances     = 10
database_pool_max = 10
memory            = "1Gi"
concurrency       = 80
