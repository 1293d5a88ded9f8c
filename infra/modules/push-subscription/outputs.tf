output "name" {
  description = "Subscription name."
  value       = google_pubsub_subscription.this.name
}

output "id" {
  description = "Subscription resource id."
  value       = google_pubsub_subscription.this.id
}

output "dead_letter_topic" {
  description = "Name of the dead-letter topic this subscription gives up to."
  value       = local.dead_letter_topic
}
