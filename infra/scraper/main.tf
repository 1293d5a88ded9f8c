# The scraper: stateless, no database. It receives scrape.requested by push and publishes what
# it learns; only its push account may invoke it, and only from inside Google (internal ingress).
locals {
  name                 = "scraper"
  image                = "${var.region}-docker.pkg.dev/${var.project_id}/shelfwatch/scraper:${var.image_tag}"
  push_audience        = "shelfwatch-${var.environment}-scraper-push"
  pubsub_service_agent = "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Topics the scraper publishes to (contracts registry names).
  publishes = ["observation-recorded", "scrape-failed", "products-discovered"]

  # Subscription name => topic; the scraper routes POST /pubsub/push/<subscription>.
  subscriptions = {
    "scraper.scrape-requested" = "scrape-requested"
  }
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_service_account" "service" {
  project      = var.project_id
  account_id   = "scraper-service"
  display_name = "shelfwatch scraper (Cloud Run service)"
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "scraper-push"
  display_name = "Pub/Sub push deliveries to the scraper"
}

resource "google_pubsub_topic_iam_member" "service_publishes" {
  for_each = toset(local.publishes)

  project = var.project_id
  topic   = each.value
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.service.email}"
}

# Pub/Sub mints the push OIDC tokens as the push account.
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${local.pubsub_service_agent}"
}

module "service" {
  source = "../modules/cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = local.name
  image                 = local.image
  service_account_email = google_service_account.service.email
  ingress               = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  custom_audiences      = [local.push_audience]
  invoker_members = {
    push = "serviceAccount:${google_service_account.push.email}"
  }

  env = {
    NODE_ENV                    = "production"
    LOG_LEVEL                   = var.log_level
    GOOGLE_CLOUD_PROJECT        = var.project_id
    MESSAGING_TRANSPORT         = "pubsub"
    PUBSUB_DELIVERY             = "push"
    PUBSUB_PROVISION            = "false"
    PUBSUB_PUSH_AUDIENCE        = local.push_audience
    PUBSUB_PUSH_SERVICE_ACCOUNT = google_service_account.push.email
    SCRAPER_USER_AGENT_CONTACT  = var.user_agent_contact
    # Push delivery: Cloud Run's concurrency is the flow control; the handler gets the same bound.
    SCRAPER_MAX_CONCURRENT_SCRAPES = tostring(var.concurrency)
  }

  min_instances           = var.min_instances
  max_instances           = var.max_instances
  concurrency             = var.concurrency
  cpu                     = var.cpu
  memory                  = var.memory
  request_timeout_seconds = 600
}

module "subscription" {
  source   = "../modules/push-subscription"
  for_each = local.subscriptions

  project_id                     = var.project_id
  name                           = each.key
  topic                          = each.value
  service_url                    = module.service.uri
  push_service_account_email     = google_service_account.push.email
  audience                       = local.push_audience
  consumer_service_account_email = google_service_account.service.email
  pubsub_service_agent_email     = local.pubsub_service_agent
}
