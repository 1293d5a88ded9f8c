# notifier: delivers each alert.raised to the account's channels (signed webhooks; email), and
# the api's test pings and resends. Its own service account may publish nothing, receives only
# its two push subscriptions, and reads the webhook sealing key besides DATABASE_URL. In the
# database it reads accounts and webhook_endpoints and writes only its delivery tables
# (channel_deliveries, delivery_attempts, webhook_endpoint_states; ADR 0016).
module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes = []

  subscriptions = {
    "notifier.alert-raised"               = "alert-raised"
    "notifier.webhook-delivery-requested" = "webhook-delivery-requested"
  }

  database = true
  # Opens webhook signing secrets to sign; mails alerts.
  secrets = ["webhook-secret-key", "smtp-url", "email-link-secret"]
  # Retries for about 16 h (Pub/Sub's most: 100 deliveries, backoff 10 s doubling to 600 s), then
  # the dead-letter topic; the handler records the delivery dead on the last one.
  max_delivery_attempts = 100

  env = merge({
    DATABASE_POOL_MAX = tostring(var.database_pool_max)
    # Each handler holds a connection while it sends; two subscriptions share the pool.
    NOTIFIER_MAX_CONCURRENT = tostring(max(1, floor((var.database_pool_max - 1) / 2)))
    # Must match max_delivery_attempts: the last delivery records failures dead.
    NOTIFIER_MAX_ATTEMPTS = "100"
    },
    # Where the unsubscribe links in alert mail point: the api's public URL.
    var.api_public_url == "" ? {} : { API_PUBLIC_URL = var.api_public_url },
  )
}
