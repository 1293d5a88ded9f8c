output "service_url" {
  description = "The api's https URL."
  value       = module.service.uri
}

output "image" {
  description = "Image the service and the migration job run."
  value       = local.image
}

output "migration_job" {
  description = "Cloud Run job that applies database migrations."
  value       = google_cloud_run_v2_job.migrate.name
}

output "service_account" {
  description = "The api's runtime service account."
  value       = google_service_account.service.email
}
