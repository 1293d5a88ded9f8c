variable "database_pool_max" {
  type        = number
  description = "Database connections per instance (DATABASE_POOL_MAX); analytics' concurrency stays at or below it."
  default     = 5
}
