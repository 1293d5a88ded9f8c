output "name" {
  description = "Cloud Run service name."
  value       = google_cloud_run_v2_service.this.name
}

output "uri" {
  description = "The service's https URL."
  value       = google_cloud_run_v2_service.this.uri
}

output "id" {
  description = "Cloud Run service resource id."
  value       = google_cloud_run_v2_service.this.id
}
