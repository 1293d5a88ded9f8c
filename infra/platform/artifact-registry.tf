# Images are pushed as <region>-docker.pkg.dev/<project>/shelfwatch/<app>:<commit sha>.
resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = "shelfwatch"
  format        = "DOCKER"
  description   = "shelfwatch service images, tagged with the commit they were built from."

  cleanup_policy_dry_run = false

  # KEEP wins over DELETE: recent versions (and so every running revision) stay.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.image_keep_count
    }
  }

  cleanup_policies {
    id     = "delete-older-than-30-days"
    action = "DELETE"
    condition {
      tag_state  = "ANY"
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.this]
}
