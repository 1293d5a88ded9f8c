# The api: the public REST API. It publishes scrape.requested, receives products.discovered by
# push, reads the database, and is ticked by Cloud Scheduler (scheduler.tf); its migrations
# run as a job of their own (migrations.tf).
locals {
  scheduler_audience = "shelfwatch-${var.environment}-api-scheduler"
}

module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes     = ["scrape-requested", "webhook-delivery-requested"]
  subscriptions = { "api.products-discovered" = "products-discovered" }
  database      = true
  # Seals webhook signing secrets (shown once, stored only sealed); mails confirmation links.
  secrets = ["webhook-secret-key", "smtp-url", "email-link-secret"]

  # Its internal routes check OIDC tokens themselves.
  public          = var.allow_unauthenticated
  extra_audiences = [local.scheduler_audience]
  extra_invokers  = { scheduler = "serviceAccount:${google_service_account.scheduler.email}" }

  env = {
    DATABASE_POOL_MAX = tostring(var.database_pool_max)
    PUBLIC_BASE_URL   = var.public_base_url # empty reads as unset
    # Cloud Scheduler, not an in-process timer, ticks the scheduler in the cloud.
    SCHEDULER_MODE                 = "http"
    SCHEDULER_TICK_AUDIENCE        = local.scheduler_audience
    SCHEDULER_TICK_SERVICE_ACCOUNT = google_service_account.scheduler.email
  }
}

output "migration_job" {
  description = "Cloud Run job that applies database migrations."
  value       = google_cloud_run_v2_job.migrate.name
}
