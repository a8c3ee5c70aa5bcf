# Public bucket: everyone may read (results, statuses, feeds, backend configs); CORS GET for the app
# origins (the web app's own Hosting origin first), as the original sortingview setup instructions had it.
resource "google_storage_bucket" "public" {
  name                        = local.bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "inherited"

  cors {
    origin          = local.app_origins
    method          = ["GET"]
    response_header = ["Content-Type"]
    max_age_seconds = 3600
  }

  depends_on = [google_project_service.apis]
}

# Private bucket: chunks pushed by the relays, registered objects, workspace ACLs. Never public.
# The chunks are a cache: one that has expired is asked of the relay again, which re-produces it
# from the data. So they expire after 30 days; objects/ and acl/ never do. (Same rule as
# privateBucketLifecycle in scripts/deploy.d/resources.mjs.)
resource "google_storage_bucket" "private" {
  name                        = local.private_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age            = 30
      matches_prefix = ["chunks/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# Zipped function sources (scripts/deploy lets gcloud stage them instead).
resource "google_storage_bucket" "sources" {
  name                        = "${local.bucket}-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
