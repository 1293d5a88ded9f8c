variable "project_id" {
  type        = string
  description = "Google Cloud project of this environment (one project per environment)."
}

variable "region" {
  type        = string
  description = "Region of the service, the migration job and the scheduler job."
}

variable "environment" {
  type        = string
  description = "Environment name, dev or prod."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the api image to run: the commit sha docker-push tagged it with (IMAGE_TAG)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

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

variable "min_instances" {
  type        = number
  description = "Instances kept warm."
}

variable "max_instances" {
  type        = number
  description = "Most instances; with database_pool_max it bounds the api's database connections."
}

variable "concurrency" {
  type        = number
  description = "Requests one instance serves at once."
  default     = 80
}

variable "cpu" {
  type        = string
  description = "CPU limit per instance."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory limit per instance."
  default     = "512Mi"
}

variable "database_pool_max" {
  type        = number
  description = "Database connections per instance (DATABASE_POOL_MAX)."
  default     = 10
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of the service."
  default     = "info"
}

variable "scheduler_tick_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the Cloud Scheduler job that calls POST /internal/scheduler/tick."
  default     = "* * * * *"
}
