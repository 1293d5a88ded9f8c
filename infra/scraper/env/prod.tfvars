project_id    = "shelfwatch-prod"
region        = "europe-west1"
environment   = "prod"
min_instances = 0
max_instances = 20
