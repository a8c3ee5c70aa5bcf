variable "project" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Region of the functions and buckets."
  type        = string
  default     = "us-central1"
}

variable "hosting_site" {
  description = "Firebase Hosting site that serves the web app at https://<site>.web.app. Default: the project id (the project's default site)."
  type        = string
  default     = null
  validation {
    condition     = var.hosting_site == null || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.hosting_site))
    error_message = "A Hosting site id is lowercase letters, digits and \"-\" (it becomes <site>.web.app)."
  }
}

variable "app_origins" {
  description = "Extra web origins allowed to call the API and read the public bucket (scheme://host[:port]). https://<hosting_site>.web.app, where the web app is hosted, is always allowed."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for o in var.app_origins : can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", o))])
    error_message = "Each app origin is scheme://host[:port], without a path or trailing slash."
  }
  validation {
    condition     = !contains(var.app_origins, "https://storage.googleapis.com")
    error_message = "https://storage.googleapis.com is shared by every public bucket: an app served there is open to any other bucket's pages (docs/deploy.md, \"Web app hosting\")."
  }
}

variable "bucket_name" {
  description = "Public bucket (GOOGLE_BUCKET_NAME). Default: <project>-sortingview."
  type        = string
  default     = null
}

variable "private_bucket_name" {
  description = "Private bucket (SORTINGVIEW_PRIVATE_BUCKET). Default: <bucket>-private."
  type        = string
  default     = null
}

variable "relay_labels" {
  description = "Backend labels to set up relays for: each gets its subscription and access confined to its own objects. With exactly one, the web app opens it by default."
  type        = set(string)
  default     = []
  validation {
    condition     = alltrue([for l in var.relay_labels : can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", l))])
    error_message = "A backend label is 1-64 letters, digits, \"_\", \"-\", \".\" (not first)."
  }
}

variable "functions_runtime" {
  description = "Cloud Functions runtime (the bundles need Node 20 or newer)."
  type        = string
  default     = "nodejs22"
}
