output "service_url" {
  description = "The scraper's https URL (internal ingress only)."
  value       = module.service.uri
}

output "image" {
  description = "Image the service runs."
  value       = local.image
}

output "service_account" {
  description = "The scraper's runtime service account."
  value       = google_service_account.service.email
}
