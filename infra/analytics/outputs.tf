output "service_url" {
  description = "Analytics' https URL (internal ingress only)."
  value       = module.service.uri
}

output "image" {
  description = "Image the service runs."
  value       = local.image
}

output "service_account" {
  description = "Analytics' runtime service account."
  value       = google_service_account.service.email
}
