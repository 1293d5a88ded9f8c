# Database migrations run as a Cloud Run job from the api image (args ["migrate"]), with its own
# account. The deploy workflow points the job at the new image and runs it before the new api
# revision is applied (infra/api/run-migrations.sh).
resource "google_service_account" "migrate" {
  project      = var.project_id
  account_id   = "api-migrate"
  display_name = "shelfwatch database migrations (Cloud Run job)"
}

resource "google_project_iam_member" "migrate_cloudsql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.migrate.email}"
}

resource "google_secret_manager_secret_iam_member" "migrate_database_url" {
  project   = var.project_id
  secret_id = module.service.database.secret_name
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.migrate.email}"
}

resource "google_cloud_run_v2_job" "migrate" {
  project  = var.project_id
  location = var.region
  name     = "api-migrate"

  # The job holds no data; recreating it loses nothing.
  deletion_protection = false

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account = google_service_account.migrate.email
      timeout         = "900s"
      # A failed migration needs a person, not a blind retry.
      max_retries = 0

      volumes {
        name = "cloudsql"
        cloud_sql_instance {
          instances = [module.service.database.connection_name]
        }
      }

      containers {
        image = module.service.image
        args  = ["migrate"]

        env {
          name  = "NODE_ENV"
          value = "production"
        }

        # Where apps/api/Dockerfile puts Prisma's migrations in the image.
        env {
          name  = "MIGRATIONS_DIR"
          value = "/app/prisma/migrations"
        }

        env {
          name = "DATABASE_URL"
          value_source {
            secret_key_ref {
              secret  = module.service.database.secret_id
              version = "latest"
            }
          }
        }

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }

        volume_mounts {
          name       = "cloudsql"
          mount_path = "/cloudsql"
        }
      }
    }
  }

  depends_on = [
    google_project_iam_member.migrate_cloudsql_client,
    google_secret_manager_secret_iam_member.migrate_database_url,
  ]
}
