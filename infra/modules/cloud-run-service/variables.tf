variable "project_id" {
  type        = string
  description = "Google Cloud project the service runs in."
}

variable "region" {
  type        = string
  description = "Cloud Run region, e.g. europe-west1."
}

variable "name" {
  type        = string
  description = "Cloud Run service name (also the name Cloud Run logs and metrics use)."
}

variable "image" {
  type        = string
  description = "Full container image reference, registry/repository/name:tag."
}

variable "service_account_email" {
  type        = string
  description = "The service's own runtime service account; never shared with another service."
}

variable "env" {
  type        = map(string)
  description = "Plain environment variables. Never put secret values here: use secret_env."
  default     = {}
}

variable "secret_env" {
  type        = map(string)
  description = "Environment variables read from Secret Manager: variable name => secret id (latest version)."
  default     = {}
}

variable "cloud_sql_instances" {
  type        = list(string)
  description = "Cloud SQL connection names mounted through the Cloud SQL connector under /cloudsql."
  default     = []
}

variable "ingress" {
  type        = string
  description = "INGRESS_TRAFFIC_ALL for a public API; INGRESS_TRAFFIC_INTERNAL_ONLY for services only Pub/Sub and Cloud Scheduler call."
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "invoker_members" {
  type        = map(string)
  description = "IAM members allowed to invoke the service (roles/run.invoker on this service only), keyed by a static name, e.g. { push = \"serviceAccount:...\" }."
  default     = {}
}

variable "custom_audiences" {
  type        = list(string)
  description = "Extra OIDC audiences Cloud Run accepts besides the service URL (the audience push subscriptions and Cloud Scheduler put in their tokens)."
  default     = []
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm; 0 lets the service scale to zero."
  default     = 0
}

variable "max_instances" {
  type        = number
  description = "Upper bound on instances: caps cost and the load on the database."
  default     = 10
}

variable "concurrency" {
  type        = number
  description = "Requests one instance serves at once."
  default     = 80
}

variable "cpu" {
  type        = string
  description = "CPU limit per instance, e.g. \"1\"."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory limit per instance, e.g. \"512Mi\"."
  default     = "512Mi"
}

variable "cpu_idle" {
  type        = bool
  description = "Throttle CPU outside requests (request-based billing). Push delivery means all work happens inside requests."
  default     = true
}

variable "request_timeout_seconds" {
  type        = number
  description = "Longest request; at least the ack deadline of the push subscriptions that call the service."
  default     = 300
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to destroy the service from Terraform."
  default     = true
}

variable "labels" {
  type        = map(string)
  description = "Labels on the service."
  default     = {}
}
