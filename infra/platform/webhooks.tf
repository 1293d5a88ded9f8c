# The key webhook signing secrets are sealed with (AES-256-GCM) in webhook_endpoints: the api
# seals, the notifier opens to sign. Its value never passes through Terraform (no secrets in code
# or state); add one version by hand, see infra/README.md:
#   openssl rand -base64 32 | gcloud secrets versions add webhook-secret-key --data-file=-
resource "google_secret_manager_secret" "webhook_secret_key" {
  project   = var.project_id
  secret_id = "webhook-secret-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}
