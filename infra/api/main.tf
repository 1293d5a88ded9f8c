# The api service: its own runtime account with only the roles it uses, the Cloud Run
# service, and its push subscription (products.discovered).
locals {
  name                 = "api"
  image                = "${var.region}-docker.pkg.dev/${var.project_id}/shelfwatch/api:${var.image_tag}"
  push_audience        = "shelfwatch-${var.environment}-api-push"
  scheduler_audience   = "shelfwatch-${var.environment}-api-scheduler"
  pubsub_service_agent = "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Topics the api publishes to (contracts registry names).
  publishes = ["scrape-requested"]

  # Subscription name => topic; the api routes POST /pubsub/push/<subscription>.
  subscriptions = {
    "api.products-discovered" = "products-discovered"
  }
}

data "google_project" "this" {
  project_id = var.project_id
}

# Created by the platform stack.
data "google_sql_database_instance" "main" {
  project = var.project_id
  name    = "shelfwatch"
}

data "google_secret_manager_secret" "database_url" {
  project   = var.project_id
  secret_id = "database-url"
}

resource "google_service_account" "service" {
  project      = var.project_id
  account_id   = "api-service"
  display_name = "shelfwatch api (Cloud Run service)"
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "api-push"
  display_name = "Pub/Sub push deliveries to the api"
}

# Cloud SQL connector access cannot be narrowed below the project.
resource "google_project_iam_member" "service_cloudsql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.service.email}"
}

resource "google_secret_manager_secret_iam_member" "service_database_url" {
  project   = var.project_id
  secret_id = data.google_secret_manager_secret.database_url.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.service.email}"
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
  ingress               = "INGRESS_TRAFFIC_ALL"
  custom_audiences      = [local.push_audience, local.scheduler_audience]
  invoker_members = merge(
    var.allow_unauthenticated ? { public = "allUsers" } : {},
    {
      push      = "serviceAccount:${google_service_account.push.email}"
      scheduler = "serviceAccount:${google_service_account.scheduler.email}"
    },
  )

  env = {
    NODE_ENV                    = "production"
    LOG_LEVEL                   = var.log_level
    GOOGLE_CLOUD_PROJECT        = var.project_id
    DATABASE_POOL_MAX           = tostring(var.database_pool_max)
    PUBLIC_BASE_URL             = var.public_base_url # empty reads as unset
    MESSAGING_TRANSPORT         = "pubsub"
    PUBSUB_DELIVERY             = "push"
    PUBSUB_PROVISION            = "false"
    PUBSUB_PUSH_AUDIENCE        = local.push_audience
    PUBSUB_PUSH_SERVICE_ACCOUNT = google_service_account.push.email
    # Cloud Scheduler, not an in-process timer, ticks the scheduler in the cloud.
    SCHEDULER_MODE                 = "http"
    SCHEDULER_TICK_AUDIENCE        = local.scheduler_audience
    SCHEDULER_TICK_SERVICE_ACCOUNT = google_service_account.scheduler.email
  }
  secret_env          = { DATABASE_URL = data.google_secret_manager_secret.database_url.id }
  cloud_sql_instances = [data.google_sql_database_instance.main.connection_name]

  min_instances           = var.min_instances
  max_instances           = var.max_instances
  concurrency             = var.concurrency
  cpu                     = var.cpu
  memory                  = var.memory
  request_timeout_seconds = 600

  # A revision must be able to read its secret and reach the database when it starts.
  depends_on = [
    google_project_iam_member.service_cloudsql_client,
    google_secret_manager_secret_iam_member.service_database_url,
  ]
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
