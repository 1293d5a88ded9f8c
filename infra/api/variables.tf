variable "allow_unauthenticated" {
  type        = bool
  description = "Let anyone on the internet call the api (it is the public REST API); its internal routes check OIDC tokens themselves."
  default     = true
}

variable "public_base_url" {
  type        = string
  description = "Base URL clients reach the api at (PUBLIC_BASE_URL), empty to use the request's own host."
  default     = ""
}

variable "database_pool_max" {
  type        = number
  description = "Database connections per pool and instance (DATABASE_POOL_MAX): Prisma's pool and the driver's (hot reads, rate limits) each open up to this many."
  default     = 10
}

variable "scheduler_tick_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the Cloud Scheduler job that calls POST /internal/scheduler/tick."
  default     = "* * * * *"
}
