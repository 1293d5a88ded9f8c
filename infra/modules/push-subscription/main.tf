# A push subscription for one consuming service, shaped like the one libs/messaging provisions
# locally: OIDC-signed pushes to /pubsub/push/<name>, exponential retry, and a dead-letter
# policy onto <topic>-dead-letter (the platform stack keeps a subscription there).
locals {
  topic_id             = "projects/${var.project_id}/topics/${var.topic}"
  dead_letter_topic    = "${var.topic}-dead-letter"
  dead_letter_topic_id = "projects/${var.project_id}/topics/${local.dead_letter_topic}"
}

resource "google_pubsub_subscription" "this" {
  project                    = var.project_id
  name                       = var.name
  topic                      = local.topic_id
  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  push_config {
    push_endpoint = "${trimsuffix(var.service_url, "/")}/pubsub/push/${var.name}"

    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = var.audience
    }
  }

  retry_policy {
    minimum_backoff = "${var.minimum_backoff_seconds}s"
    maximum_backoff = "${var.maximum_backoff_seconds}s"
  }

  dead_letter_policy {
    dead_letter_topic     = local.dead_letter_topic_id
    max_delivery_attempts = var.max_delivery_attempts
  }
}

# Pub/Sub moves a message to the dead-letter topic only if its service agent may acknowledge it here.
resource "google_pubsub_subscription_iam_member" "service_agent_subscriber" {
  project      = var.project_id
  subscription = google_pubsub_subscription.this.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${var.pubsub_service_agent_email}"
}

resource "google_pubsub_topic_iam_member" "consumer_dead_letter_publisher" {
  project = var.project_id
  topic   = local.dead_letter_topic
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${var.consumer_service_account_email}"
}
