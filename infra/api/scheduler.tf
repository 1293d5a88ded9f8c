# Cloud Scheduler calls the api's scheduler tick with an OIDC token of its own account; the api
# checks it (SCHEDULER_TICK_AUDIENCE, SCHEDULER_TICK_SERVICE_ACCOUNT) since the service is public.
resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "api-scheduler"
  display_name = "Cloud Scheduler ticks to the api"
}

resource "google_cloud_scheduler_job" "tick" {
  project          = var.project_id
  region           = var.region
  name             = "api-scheduler-tick"
  description      = "Spreads due scrapes per host and publishes scrape.requested."
  schedule         = var.scheduler_tick_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "60s"

  # The next tick comes soon; retrying a late one would only pile work up.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "${module.service.uri}/internal/scheduler/tick"

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.scheduler_audience
    }
  }
}
