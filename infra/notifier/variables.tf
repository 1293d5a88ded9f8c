variable "database_pool_max" {
  type        = number
  description = "Database connections per instance (DATABASE_POOL_MAX); the notifier's concurrency stays below it."
  default     = 5
}
