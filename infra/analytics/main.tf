# Analytics: consumes observations and scrape failures by push, writes prices, rollups and
# alerts, publishes price.changed. Only its push account may invoke it (internal ingress).
module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes = ["price-changed", "alert-raised"]
  subscriptions = {
    "analytics.observation-recorded" = "observation-recorded"
    "analytics.scrape-failed"        = "scrape-failed"
  }
  database = true

  env = {
    DATABASE_POOL_MAX = tostring(var.database_pool_max)
    # Push delivery: Cloud Run's concurrency is the flow control; the handlers get the same bound.
    # Keep concurrency at or below database_pool_max: each message holds a connection.
    ANALYTICS_MAX_CONCURRENT = tostring(var.concurrency)
  }
}
