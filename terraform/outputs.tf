output "api_url" {
  description = "SORTINGVIEW_API_URL for the relays."
  value       = google_cloudfunctions2_function.api.service_config[0].uri
}

output "bucket" {
  description = "The public bucket (GOOGLE_BUCKET_NAME)."
  value       = google_storage_bucket.public.name
}

output "private_bucket" {
  description = "The private bucket (SORTINGVIEW_PRIVATE_BUCKET)."
  value       = google_storage_bucket.private.name
}

output "web_app_url" {
  description = "The web app, on its own origin (after web_deploy_command has published it)."
  value       = "${local.hosting_origin}/"
}

output "web_deploy_command" {
  description = "Run from the repository after terraform apply: publishes dist/web plus config.json to the Hosting site (terraform cannot upload a Hosting release)."
  value = join(" ", concat([
    "scripts/deploy --web-only",
    "--project=${var.project}",
    "--region=${var.region}",
    "--bucket=${google_storage_bucket.public.name}",
    "--private-bucket=${google_storage_bucket.private.name}",
    "--hosting-site=${google_firebase_hosting_site.web.site_id}",
    "--firebase-api-key=${data.google_firebase_web_app_config.sortingview.api_key}",
    "--firebase-auth-domain=${data.google_firebase_web_app_config.sortingview.auth_domain}",
    ], local.default_label == null ? [] : ["--relay-label=${local.default_label}"],
  length(var.app_origins) == 0 ? [] : ["--app-origins=${join(",", var.app_origins)}"]))
}

output "backend_uri_pattern" {
  description = "What a relay started with --label <label> prints."
  value       = "gs://${google_storage_bucket.public.name}/sortingview-backends/<label>.json"
}

output "backend_uris" {
  value = { for l in var.relay_labels : l => "gs://${google_storage_bucket.public.name}/sortingview-backends/${l}.json" }
}

output "relay_service_accounts" {
  description = "Each relay label's own service account."
  value       = { for l in var.relay_labels : l => google_service_account.sa["relay:${l}"].email }
}

output "relay_key_commands" {
  description = "Per label: run on that lab's server; keep the key there (chmod 600)."
  value       = { for l in var.relay_labels : l => "gcloud iam service-accounts keys create sortingview-relay-key.json --iam-account=${google_service_account.sa["relay:${l}"].email} --project=${var.project}" }
}

output "start_backend_commands" {
  value = {
    for l in var.relay_labels : l => join(" ", [
      "GOOGLE_CLOUD_PROJECT=${var.project}",
      "GOOGLE_BUCKET_NAME=${google_storage_bucket.public.name}",
      "SORTINGVIEW_PRIVATE_BUCKET=${google_storage_bucket.private.name}",
      "SORTINGVIEW_API_URL=${google_cloudfunctions2_function.api.service_config[0].uri}",
      "GOOGLE_APPLICATION_CREDENTIALS=\"$PWD/sortingview-relay-key.json\"",
      "sortingview-start-backend --label ${l} --app-url ${local.hosting_origin}/ --data-dir /path/to/your/data",
    ])
  }
}
