variable "project_id" {
  type        = string
  description = "Google Cloud project of this environment (one project per environment)."
}

variable "region" {
  type        = string
  description = "Region of the service."
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
  description = "Tag of the analytics image to run: the commit sha docker-push tagged it with (IMAGE_TAG)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm."
}

variable "max_instances" {
  type        = number
  description = "Most instances; with database_pool_max it bounds analytics' database connections."
}

variable "concurrency" {
  type        = number
  description = "Messages one instance handles at once (ANALYTICS_MAX_CONCURRENT too); at most database_pool_max, since each holds a connection."
  default     = 5
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
  default     = 5
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of the service."
  default     = "info"
}
