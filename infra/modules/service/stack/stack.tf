# What every app stack shares, written once: each infra/<app> links this file as stack.tf
# (`ln -s ../modules/service/stack/stack.tf`), so the stack's own files hold only what is its
# own: the call of infra/modules/service and the app's extras. The stack's name is its folder.
terraform {
  required_version = ">= 1.11"
  # hashicorp/google, at the version infra/modules/service requires (its versions.tf).

  # Bucket and prefix (shelfwatch/<stack>) come from tools/infra/terraform.ts: -backend-config.
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "shelfwatch"
    environment = var.environment
    stack       = local.stack.name
  }
}

locals {
  stack = {
    name          = basename(abspath(path.root))
    project_id    = var.project_id
    region        = var.region
    environment   = var.environment
    image_tag     = var.image_tag
    log_level     = var.log_level
    min_instances = var.min_instances
    max_instances = var.max_instances
    concurrency   = var.concurrency
    cpu           = var.cpu
    memory        = var.memory
  }
}

variable "project_id" {
  type        = string
  description = "Google Cloud project of this environment (one project per environment)."
}

variable "region" {
  type        = string
  description = "Region of the service and of the stack's other regional resources."
}

variable "environment" {
  type        = string
  description = "Environment name, dev or prod."
}

variable "image_tag" {
  type        = string
  description = "Tag of the app image to run: the commit sha docker-push tagged it with (IMAGE_TAG)."
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm."
}

variable "max_instances" {
  type        = number
  description = "Most instances; for a service with a database, with its pool size it bounds the connections."
}

variable "concurrency" {
  type        = number
  description = "Requests (pushes) one instance handles at once."
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

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of the service."
  default     = "info"
}

output "service_url" {
  description = "The service's https URL."
  value       = module.service.uri
}

output "image" {
  description = "Image the service runs."
  value       = module.service.image
}

output "service_account" {
  description = "The service's runtime account."
  value       = module.service.service_account_email
}
