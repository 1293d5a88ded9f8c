variable "stack" {
  description = "What the calling stack deploys where (its `local.stack`, built in stack/stack.tf)."
  type = object({
    name          = string
    project_id    = string
    region        = string
    environment   = string
    image_tag     = string
    log_level     = string
    min_instances = number
    max_instances = number
    concurrency   = number
    cpu           = string
    memory        = string
  })

  validation {
    condition     = contains(["dev", "prod"], var.stack.environment)
    error_message = "environment must be dev or prod."
  }

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.stack.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "publishes" {
  type        = list(string)
  description = "Topics (contracts registry names) the service publishes to."
  default     = []
}

variable "subscriptions" {
  type        = map(string)
  description = "Push subscription name => topic; the service routes POST /pubsub/push/<subscription>."
  default     = {}
}

variable "database" {
  type        = bool
  description = "Whether the service reaches the shared Cloud SQL database (connector, DATABASE_URL secret)."
  default     = false
}

variable "public" {
  type        = bool
  description = "Let anyone on the internet call the service (all ingress, allUsers invoker)."
  default     = false
}

variable "ingress" {
  type        = string
  description = "Ingress of a service that is not public."
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
}

variable "extra_audiences" {
  type        = list(string)
  description = "OIDC audiences the service accepts besides its push audience."
  default     = []
}

variable "extra_invokers" {
  type        = map(string)
  description = "Members allowed to invoke the service besides its push account, by a stable key."
  default     = {}
}

variable "env" {
  type        = map(string)
  description = "The app's own environment variables, added to the runtime and messaging ones."
  default     = {}
}

variable "request_timeout_seconds" {
  type        = number
  description = "Request timeout; a push delivery holds a request for as long as its handler runs."
  default     = 600
}

variable "secrets" {
  type        = list(string)
  description = "Ids of Secret Manager secrets of the project, each read as the environment variable its id names in kebab case (smtp-url: SMTP_URL); the runtime account may access exactly these."
  default     = []
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries of a message before its push subscriptions dead-letter it (5 to 100)."
  default     = 5
}
