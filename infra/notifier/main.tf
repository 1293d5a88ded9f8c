# notifier: delivers alerts to each account&#39;s channels (signed webhooks, email)
module "service" {
  source = "../modules/service"
  stack  = local.stack

  publishes = []

  subscriptions = {
    "notifier.alert-raised" = "alert-raised"
  }

  database = true
}
