terraform {
  # Write-only arguments (password_wo, secret_data_wo) and ephemeral resources need 1.11.
  required_version = ">= 1.11"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }

  # The bucket differs per environment: terraform init -backend-config=bucket=<TF_STATE_BUCKET>.
  backend "gcs" {
    prefix = "shelfwatch/platform"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "shelfwatch"
    environment = var.environment
    stack       = "platform"
  }
}
