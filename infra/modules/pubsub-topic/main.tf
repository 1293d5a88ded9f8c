# A topic, its dead-letter topic (named like libs/messaging's deadLetterTopicFor) and a pull
# subscription on the dead-letter topic, so no dead letter is dropped for want of a subscriber.
resource "google_pubsub_topic" "this" {
  project                    = var.project_id
  name                       = var.name
  message_retention_duration = var.message_retention_duration
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "${var.name}-dead-letter"
}

# Same name as the dead-letter topic, as libs/messaging provisions it locally.
resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project_id
  name                       = google_pubsub_topic.dead_letter.name
  topic                      = google_pubsub_topic.dead_letter.id
  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention_duration

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "service_agent_dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${var.pubsub_service_agent_email}"
}
