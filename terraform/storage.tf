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

resource "google_storage_bucket_iam_member" "public_read" {
  bucket = google_storage_bucket.public.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket_iam_member" "functions_public" {
  bucket = google_storage_bucket.public.name
  role   = "roles/storage.objectUser"
  member = google_service_account.functions.member
}

resource "google_storage_bucket_iam_member" "functions_private" {
  bucket = google_storage_bucket.private.name
  role   = "roles/storage.objectUser"
  member = google_service_account.functions.member
}

# Each relay may rewrite its own backend config, and nothing else in the public bucket.
resource "google_storage_bucket_iam_member" "relay_backend_config" {
  for_each = var.relay_labels
  bucket   = google_storage_bucket.public.name
  role     = "roles/storage.objectUser"
  member   = google_service_account.relay.member
  condition {
    title       = "sortingview-relay-${each.value}"
    description = "relay \"${each.value}\": its backend config only"
    expression  = "resource.name == \"projects/_/buckets/${google_storage_bucket.public.name}/objects/sortingview-backends/${each.value}.json\""
  }
}

# Each relay may create and read its own chunks/ and objects/ (written once, never overwritten).
resource "google_storage_bucket_iam_member" "relay_chunks_create" {
  for_each = var.relay_labels
  bucket   = google_storage_bucket.private.name
  role     = "roles/storage.objectCreator"
  member   = google_service_account.relay.member
  condition {
    title       = "sortingview-relay-${each.value}"
    description = "relay \"${each.value}\": its chunks/ and objects/ only"
    expression  = local.relay_private_expression[each.value]
  }
}

resource "google_storage_bucket_iam_member" "relay_chunks_read" {
  for_each = var.relay_labels
  bucket   = google_storage_bucket.private.name
  role     = "roles/storage.objectViewer"
  member   = google_service_account.relay.member
  condition {
    title       = "sortingview-relay-${each.value}"
    description = "relay \"${each.value}\": its chunks/ and objects/ only"
    expression  = local.relay_private_expression[each.value]
  }
}

locals {
  relay_private_expression = {
    for l in var.relay_labels : l => join(" || ", [
      "resource.name.startsWith(\"projects/_/buckets/${local.private_bucket}/objects/chunks/${l}/\")",
      "resource.name.startsWith(\"projects/_/buckets/${local.private_bucket}/objects/objects/${l}/\")",
    ])
  }
}
