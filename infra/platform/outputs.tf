output "image_registry" {
  description = "Where docker-push puts images (IMAGE_REGISTRY)."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "sql_connection_name" {
  description = "Cloud SQL connection name the services mount under /cloudsql."
  value       = google_sql_database_instance.main.connection_name
}

output "database_url_secret_id" {
  description = "Secret Manager secret holding DATABASE_URL (the id, never the value)."
  value       = google_secret_manager_secret.database_url.id
}

output "topics" {
  description = "Topic name => dead-letter topic name."
  value       = { for name, topic in module.topic : name => topic.dead_letter_topic }
}
