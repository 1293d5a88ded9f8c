# One PostgreSQL database for all apps. Services reach it through the Cloud SQL connector
# (a unix socket under /cloudsql), so the instance has no authorized networks.
locals {
  database_user = "shelfwatch"
}

resource "google_sql_database_instance" "main" {
  project             = var.project_id
  name                = "shelfwatch"
  region              = var.region
  database_version    = "POSTGRES_17"
  deletion_protection = true

  settings {
    tier                        = var.sql_tier
    edition                     = "ENTERPRISE"
    availability_type           = var.sql_availability_type
    disk_autoresize             = true
    deletion_protection_enabled = true

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 14
        retention_unit   = "COUNT"
      }
    }

    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled = true
    }
  }

  depends_on = [google_project_service.this]
}

resource "google_sql_database" "app" {
  project  = var.project_id
  instance = google_sql_database_instance.main.name
  name     = "shelfwatch"
}

# Generated at apply time and handed only to write-only arguments: the password reaches the
# database user and the database-url secret, never the state or an output.
ephemeral "random_password" "database" {
  length  = 32
  special = false
}

resource "google_sql_user" "app" {
  project             = var.project_id
  instance            = google_sql_database_instance.main.name
  name                = local.database_user
  password_wo         = ephemeral.random_password.database.result
  password_wo_version = var.database_password_version

  # PostgreSQL refuses to drop a role that owns tables; leave it to a person.
  deletion_policy = "ABANDON"
}

resource "google_secret_manager_secret" "database_url" {
  project   = var.project_id
  secret_id = "database-url"

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}

# DATABASE_URL for services and the migration job: pg connects over the connector's unix socket.
resource "google_secret_manager_secret_version" "database_url" {
  secret                 = google_secret_manager_secret.database_url.id
  secret_data_wo         = "postgresql://${local.database_user}:${ephemeral.random_password.database.result}@localhost/${google_sql_database.app.name}?host=/cloudsql/${google_sql_database_instance.main.connection_name}"
  secret_data_wo_version = var.database_password_version

  depends_on = [google_sql_user.app]
}
