# The web app on an origin of its own: Firebase Hosting site <hosting_site>, https://<site>.web.app.
# Not the public bucket: https://storage.googleapis.com/<bucket>/web/ has the origin
# https://storage.googleapis.com, shared by every public bucket in the world, so a page in anyone's
# bucket could read the signed-in user's Firebase session from IndexedDB (docs/deploy.md,
# "Web app hosting").
#
# Terraform declares the site, not its files: the provider cannot upload a Hosting release
# (google_firebase_hosting_version carries redirects, rewrites and headers, but no files). After
# `terraform apply`, run the
# `web_deploy_command` output: scripts/deploy --web-only deploys dist/web plus config.json with
# firebase-tools, with the headers of scripts/deploy.d/hosting.mjs.
#
# Firebase resources exist only in the google-beta provider.
locals {
  hosting_site   = coalesce(var.hosting_site, var.project)
  hosting_origin = "https://${local.hosting_site}.web.app"
  default_label  = length(var.relay_labels) == 1 ? one(var.relay_labels) : null
}

# Adds Firebase to the project (needed by Hosting and by sign-in; it cannot be removed again).
resource "google_firebase_project" "default" {
  provider   = google-beta
  project    = var.project
  depends_on = [google_project_service.apis]
}

# The web app's Firebase config (apiKey, authDomain) for config.json.
resource "google_firebase_web_app" "sortingview" {
  provider     = google-beta
  project      = var.project
  display_name = "sortingview"
  depends_on   = [google_firebase_project.default]
}

data "google_firebase_web_app_config" "sortingview" {
  provider   = google-beta
  project    = var.project
  web_app_id = google_firebase_web_app.sortingview.app_id
}

# With site_id = the project id this is the project's default site; the provider adopts it when it
# exists already.
resource "google_firebase_hosting_site" "web" {
  provider   = google-beta
  project    = var.project
  site_id    = local.hosting_site
  app_id     = google_firebase_web_app.sortingview.app_id
  depends_on = [google_firebase_project.default]
}

# Sign-in (scripts/deploy.d/signIn.mjs does the same): Authentication initialised (this upgrades the
# project to Identity Platform, which needs billing; free up to 50,000 monthly users), and exactly
# the app's domains authorized: its hosting origin, the extra origins and the auth domain. Not
# localhost, which Firebase adds for development, nor storage.googleapis.com (see above).
locals {
  authorized_domains = distinct(concat(
    [for o in concat([local.hosting_origin], var.app_origins) : regex("^https?://([^:/]+)", o)[0]],
    ["${var.project}.firebaseapp.com"],
  ))
}

resource "google_identity_platform_config" "auth" {
  project            = var.project
  authorized_domains = local.authorized_domains
  depends_on         = [google_project_service.apis, google_firebase_project.default]
}

# Google accounts, with the OAuth client passed in (the console-only steps before it: docs/deploy.md,
# "Sign-in"). Without oauth_client_id, enable Google in the Firebase console instead.
resource "google_identity_platform_default_supported_idp_config" "google" {
  count         = var.oauth_client_id == null ? 0 : 1
  project       = var.project
  idp_id        = "google.com"
  client_id     = var.oauth_client_id
  client_secret = var.oauth_client_secret
  enabled       = true
  depends_on    = [google_identity_platform_config.auth]
}
