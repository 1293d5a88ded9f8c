# The scraper: stateless, no database. It receives scrape.requested by push and publishes what
# it learns; only its push account may invoke it, and only from inside Google (internal ingress).
module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes     = ["observation-recorded", "scrape-failed", "products-discovered"]
  subscriptions = { "scraper.scrape-requested" = "scrape-requested" }

  env = {
    SCRAPER_USER_AGENT_CONTACT = var.user_agent_contact
    # Push delivery: Cloud Run's concurrency is the flow control; the handler gets the same bound.
    SCRAPER_MAX_CONCURRENT_SCRAPES = tostring(var.concurrency)
  }
}
