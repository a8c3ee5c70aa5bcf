locals {
  public_storage_url = "https://storage.googleapis.com"
  bucket             = coalesce(var.bucket_name, "${var.project}-sortingview")
  private_bucket     = coalesce(var.private_bucket_name, "${local.bucket}-private")
  # The web app's own origin (web.tf), never local.public_storage_url: every public bucket shares that.
  app_origins = distinct(concat([local.hosting_origin], var.app_origins))

  # The functions' environment (functions/shared/config.ts).
  functions_env = {
    GOOGLE_CLOUD_PROJECT           = var.project
    GOOGLE_BUCKET_NAME             = local.bucket
    SORTINGVIEW_PRIVATE_BUCKET     = local.private_bucket
    SORTINGVIEW_PUBLIC_STORAGE_URL = local.public_storage_url
    SORTINGVIEW_APP_ORIGINS        = join(",", local.app_origins)
  }

  apis = toset([
    "storage.googleapis.com",
    "pubsub.googleapis.com",
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "eventarc.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "iam.googleapis.com",
    "identitytoolkit.googleapis.com",
    "firebase.googleapis.com",
    "firebasehosting.googleapis.com",
  ])
}

resource "google_project_service" "apis" {
  for_each           = local.apis
  service            = each.value
  disable_on_destroy = false
}
