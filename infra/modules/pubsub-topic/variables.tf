variable "project_id" {
  type        = string
  description = "Google Cloud project of the topics."
}

variable "name" {
  type        = string
  description = "Topic name from the contracts topic registry, e.g. scrape-requested."
}

variable "pubsub_service_agent_email" {
  type        = string
  description = "The project's Pub/Sub service agent, which publishes dead letters."
}

variable "message_retention_duration" {
  type        = string
  description = "How long the topic keeps messages for replay by seeking."
  default     = "86400s"
}

variable "dead_letter_retention_duration" {
  type        = string
  description = "How long unacknowledged dead letters are kept on the dead-letter subscription (at most 31 days)."
  default     = "1209600s"
}
