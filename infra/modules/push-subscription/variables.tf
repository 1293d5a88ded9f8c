variable "project_id" {
  type        = string
  description = "Google Cloud project of the topic and the subscription."
}

variable "name" {
  type        = string
  description = "Subscription name; the consuming service routes POST /pubsub/push/<name> to its handler."
}

variable "topic" {
  type        = string
  description = "Name of the topic to subscribe to (created by the platform stack from the contracts topic registry)."
}

variable "service_url" {
  type        = string
  description = "Base https URL of the consuming Cloud Run service."
}

variable "push_service_account_email" {
  type        = string
  description = "Service account Pub/Sub signs the OIDC token of each push request as; only it may invoke the consumer."
}

variable "audience" {
  type        = string
  description = "Audience of the push OIDC token; the consumer verifies it (PUBSUB_PUSH_AUDIENCE)."
}

variable "consumer_service_account_email" {
  type        = string
  description = "The consuming service's runtime account: it forwards invalid payloads to the dead-letter topic itself."
}

variable "pubsub_service_agent_email" {
  type        = string
  description = "The project's Pub/Sub service agent, which needs to acknowledge dead-lettered messages on this subscription."
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries before a message moves to the dead-letter topic (Pub/Sub allows 5 to 100)."
  default     = 5

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100."
  }
}

variable "minimum_backoff_seconds" {
  type        = number
  description = "First retry delay; doubles up to maximum_backoff_seconds."
  default     = 10
}

variable "maximum_backoff_seconds" {
  type        = number
  description = "Longest retry delay (Pub/Sub allows up to 600)."
  default     = 600
}

variable "ack_deadline_seconds" {
  type        = number
  description = "Time a push request may take before Pub/Sub retries it; keep the service's request timeout at least this long."
  default     = 600
}
