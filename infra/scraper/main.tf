# The scraper: stateless, no database. It receives scrape.requested by push and publishes what
# it learns; only its push account may invoke it, and only from inside Google (internal ingress).
# POST /internal/scrape (one scrape over HTTP, for operators) checks OIDC tokens itself: of the
# scraper-internal account, for the audience below (ADR 0012).
locals {
  internal_audience = "shelfwatch-${var.environment}-scraper-internal"
}

resource "google_service_account" "internal" {
  project      = var.project_id
  account_id   = "scraper-internal"
  display_name = "Callers of the scraper's /internal routes"
}

module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes     = ["observation-recorded", "scrape-failed", "products-discovered"]
  subscriptions = { "scraper.scrape-requested" = "scrape-requested" }

  extra_audiences = [local.internal_audience]
  extra_invokers  = { internal = "serviceAccount:${google_service_account.internal.email}" }

  env = {
    SCRAPER_USER_AGENT_CONTACT = var.user_agent_contact
    # Push delivery: Cloud Run's concurrency is the flow control; the handler gets the same bound.
    SCRAPER_MAX_CONCURRENT_SCRAPES = tostring(var.concurrency)
    # Without these the scraper refuses to start on Cloud Run.
    SCRAPER_INTERNAL_AUDIENCE        = local.internal_audience
    SCRAPER_INTERNAL_SERVICE_ACCOUNT = google_service_account.internal.email
  }
}
