# One shelfwatch service: its runtime account with only the roles it uses (publish to its topics,
# and with `database`, the Cloud SQL connector and the database-url secret), the Cloud Run
# service, and its push subscriptions with the push account Pub/Sub signs their tokens as.
locals {
  image                = "${var.stack.region}-docker.pkg.dev/${var.stack.project_id}/shelfwatch/${var.stack.name}:${var.stack.image_tag}"
  push_audience        = "shelfwatch-${var.stack.environment}-${var.stack.name}-push"
  pubsub_service_agent = "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  database_url_secret  = var.database ? data.google_secret_manager_secret.database_url[0] : null
  sql_connection_name  = var.database ? data.google_sql_database_instance.main[0].connection_name : null
  # A secret's id is its environment variable in kebab case: smtp-url is read as SMTP_URL.
  secret_env_names = { for id in var.secrets : upper(replace(id, "-", "_")) => id }
}

data "google_project" "this" {
  project_id = var.stack.project_id
}

# Created by the platform stack.
data "google_sql_database_instance" "main" {
  count   = var.database ? 1 : 0
  project = var.stack.project_id
  name    = "shelfwatch"
}

data "google_secret_manager_secret" "database_url" {
  count     = var.database ? 1 : 0
  project   = var.stack.project_id
  secret_id = "database-url"
}

resource "google_service_account" "service" {
  project      = var.stack.project_id
  account_id   = "${var.stack.name}-service"
  display_name = "shelfwatch ${var.stack.name} (Cloud Run service)"
}

resource "google_service_account" "push" {
  project      = var.stack.project_id
  account_id   = "${var.stack.name}-push"
  display_name = "Pub/Sub push deliveries to ${var.stack.name}"
}

# Cloud SQL connector access cannot be narrowed below the project.
resource "google_project_iam_member" "service_cloudsql_client" {
  count   = var.database ? 1 : 0
  project = var.stack.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.service.email}"
}

resource "google_secret_manager_secret_iam_member" "service_database_url" {
  count     = var.database ? 1 : 0
  project   = var.stack.project_id
  secret_id = local.database_url_secret.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.service.email}"
}

data "google_secret_manager_secret" "extra" {
  for_each  = local.secret_env_names
  project   = var.stack.project_id
  secret_id = each.value
}

resource "google_secret_manager_secret_iam_member" "service_secrets" {
  for_each  = local.secret_env_names
  project   = var.stack.project_id
  secret_id = data.google_secret_manager_secret.extra[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.service.email}"
}

resource "google_pubsub_topic_iam_member" "service_publishes" {
  for_each = toset(var.publishes)

  project = var.stack.project_id
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
  source = "../cloud-run-service"

  project_id            = var.stack.project_id
  region                = var.stack.region
  name                  = var.stack.name
  image                 = local.image
  service_account_email = google_service_account.service.email
  ingress               = var.public ? "INGRESS_TRAFFIC_ALL" : var.ingress
  custom_audiences      = concat([local.push_audience], var.extra_audiences)
  invoker_members = merge(
    var.public ? { public = "allUsers" } : {},
    { push = "serviceAccount:${google_service_account.push.email}" },
    var.extra_invokers,
  )

  env = merge(
    {
      NODE_ENV                    = "production"
      LOG_LEVEL                   = var.stack.log_level
      GOOGLE_CLOUD_PROJECT        = var.stack.project_id
      MESSAGING_TRANSPORT         = "pubsub"
      PUBSUB_DELIVERY             = "push"
      PUBSUB_PROVISION            = "false"
      PUBSUB_PUSH_AUDIENCE        = local.push_audience
      PUBSUB_PUSH_SERVICE_ACCOUNT = google_service_account.push.email
    },
    var.env,
  )
  secret_env = merge(
    var.database ? { DATABASE_URL = local.database_url_secret.id } : {},
    { for name, secret in data.google_secret_manager_secret.extra : name => secret.id },
  )
  cloud_sql_instances = var.database ? [local.sql_connection_name] : []

  min_instances           = var.stack.min_instances
  max_instances           = var.stack.max_instances
  concurrency             = var.stack.concurrency
  cpu                     = var.stack.cpu
  memory                  = var.stack.memory
  request_timeout_seconds = var.request_timeout_seconds

  # A revision must be able to read its secret and reach the database when it starts.
  depends_on = [
    google_project_iam_member.service_cloudsql_client,
    google_secret_manager_secret_iam_member.service_database_url,
    google_secret_manager_secret_iam_member.service_secrets,
  ]
}

module "subscription" {
  source   = "../push-subscription"
  for_each = var.subscriptions

  project_id                     = var.stack.project_id
  name                           = each.key
  topic                          = each.value
  service_url                    = module.service.uri
  push_service_account_email     = google_service_account.push.email
  audience                       = local.push_audience
  consumer_service_account_email = google_service_account.service.email
  pubsub_service_agent_email     = local.pubsub_service_agent
  max_delivery_attempts          = var.max_delivery_attempts
}
