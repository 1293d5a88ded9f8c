# Mail: the SMTP server's URL with its credentials (SMTP_URL) and the key that signs confirmation
# and unsubscribe links (EMAIL_LINK_SECRET), read by the api and the notifier. Like the webhook
# key, their values never pass through Terraform (no secrets in code or state); add one version
# of each by hand before the first deploy, or Cloud Run will not start a revision that reads
# them (infra/README.md).
resource "google_secret_manager_secret" "mail" {
  for_each = toset(["smtp-url", "email-link-secret"])

  project   = var.project_id
  secret_id = each.value

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}
