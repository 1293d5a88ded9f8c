# Topic names come from the contracts topic registry (libs/contracts/src/topics.ts); a policy
# test fails when topics.json and the registry disagree, so adding an event touches this stack.
locals {
  topics               = toset(jsondecode(file("${path.module}/topics.json")))
  pubsub_service_agent = "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

module "topic" {
  source   = "../modules/pubsub-topic"
  for_each = local.topics

  project_id                 = var.project_id
  name                       = each.value
  pubsub_service_agent_email = local.pubsub_service_agent

  depends_on = [google_project_service.this]
}
