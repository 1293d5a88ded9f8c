output "name" {
  description = "Topic name."
  value       = google_pubsub_topic.this.name
}

output "id" {
  description = "Topic resource id."
  value       = google_pubsub_topic.this.id
}

output "dead_letter_topic" {
  description = "Dead-letter topic name."
  value       = google_pubsub_topic.dead_letter.name
}

output "dead_letter_subscription" {
  description = "Subscription that keeps the dead letters."
  value       = google_pubsub_subscription.dead_letter.name
}
