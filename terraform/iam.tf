# One identity per job, each with only what it needs (docs/deploy.md, "Who may do what").
resource "google_service_account" "functions" {
  account_id   = "sortingview-functions"
  display_name = "sortingview functions (api, worker) at run time"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "trigger" {
  account_id   = "sortingview-trigger"
  display_name = "sortingview Eventarc trigger (invokes worker)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "build" {
  account_id   = "sortingview-build"
  display_name = "sortingview Cloud Functions builds"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "relay" {
  account_id   = "sortingview-relay"
  display_name = "sortingview relay (on-prem, next to the data)"
  depends_on   = [google_project_service.apis]
}

# Cloud Build runs `npm install` for the functions under this identity.
resource "google_project_iam_member" "build_builder" {
  project = var.project
  role    = "roles/cloudbuild.builds.builder"
  member  = google_service_account.build.member
}

# The relay's key is not made here: it would sit in the Terraform state. See output relay_key_command.
