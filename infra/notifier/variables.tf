variable "database_pool_max" {
  type        = number
  description = "Database connections per instance (DATABASE_POOL_MAX); the notifier's concurrency stays below it."
  default     = 5
}

variable "api_public_url" {
  type        = string
  description = "The api's public base URL, for the unsubscribe links in alert mail (API_PUBLIC_URL); empty leaves it unset."
  default     = ""
}
