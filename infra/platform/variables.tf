variable "project_id" {
  type        = string
  description = "Google Cloud project of this environment (one project per environment)."
}

variable "region" {
  type        = string
  description = "Region for Cloud Run, Cloud SQL, Artifact Registry and Cloud Scheduler."
}

variable "environment" {
  type        = string
  description = "Environment name, dev or prod."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "sql_tier" {
  type        = string
  description = "Cloud SQL machine tier, e.g. db-g1-small or db-custom-2-7680."
}

variable "sql_availability_type" {
  type        = string
  description = "ZONAL, or REGIONAL for a standby in a second zone."
  default     = "ZONAL"
}

variable "database_password_version" {
  type        = number
  description = "Bump to rotate the database password: a new password is generated, set on the user and written to the database-url secret, never stored in state."
  default     = 1
}

variable "image_keep_count" {
  type        = number
  description = "Most recent image versions per package that the Artifact Registry cleanup policy always keeps."
  default     = 20
}
