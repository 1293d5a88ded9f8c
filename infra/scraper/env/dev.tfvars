project_id    = "shelfwatch-dev"
region        = "europe-west1"
environment   = "dev"
min_instances = 0
max_instances = 3
log_level     = "debug"
# Pushes wait on politeness delays, so more at once than CPU alone suggests.
concurrency = 20
memory      = "1Gi" # bodies up to SCRAPER_MAX_BODY_BYTES are parsed in memory
