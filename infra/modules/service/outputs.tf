output "uri" {
  description = "The service's https URL."
  value       = module.service.uri
}

output "image" {
  description = "Image the service runs."
  value       = local.image
}

output "service_account_email" {
  description = "The service's runtime account."
  value       = google_service_account.service.email
}

output "database" {
  description = "With `database`: the Cloud SQL connection name and the database-url secret id, for jobs of the same stack."
  value = var.database ? {
    connection_name = local.sql_connection_name
    secret_id       = local.database_url_secret.id
    secret_name     = local.database_url_secret.secret_id
  } : null
}
