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
  description = "Tag of the scraper image to run: the commit sha docker-push tagged it with (IMAGE_TAG)."

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
  description = "Most instances: the scraper scales by instance count alone, and each instance limits itself per host."
}

variable "concurrency" {
  type        = number
  description = "Scrape requests one instance handles at once (SCRAPER_MAX_CONCURRENT_SCRAPES too); pushes wait on politeness delays, so more than CPU alone suggests."
  default     = 20
}

variable "cpu" {
  type        = string
  description = "CPU limit per instance."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory limit per instance (bodies up to SCRAPER_MAX_BODY_BYTES are parsed in memory)."
  default     = "1Gi"
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of the service."
  default     = "info"
}

variable "user_agent_contact" {
  type        = string
  description = "URL named in the scraper's User-Agent so site owners can reach whoever runs the crawler (SCRAPER_USER_AGENT_CONTACT)."
  default     = "https://github.com/shelfwatch/shelfwatch"
}
