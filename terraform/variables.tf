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
  description = "Cloud Functions runtime: nodejs22 or nodejs24, the runtimes the bundles are tested on (scripts/deploy.d/resources.mjs NODE_RUNTIMES)."
  type        = string
  default     = "nodejs22"
  validation {
    condition     = !contains(["nodejs18", "nodejs20"], var.functions_runtime)
    error_message = "Google decommissioned nodejs18 (2025-10-30) and nodejs20 (2026-10-30) and no longer deploys them: use nodejs22 or nodejs24."
  }
  validation {
    condition     = contains(["nodejs22", "nodejs24"], var.functions_runtime)
    error_message = "The functions are tested on nodejs22 and nodejs24 only."
  }
}

variable "api_max_instances" {
  description = "At most this many API instances, each taking 80 requests at once (docs/deploy.md, \"Capacity and cost\")."
  type        = number
  default     = 20
  validation {
    condition     = var.api_max_instances >= 1 && var.api_max_instances <= 9999 && floor(var.api_max_instances) == var.api_max_instances
    error_message = "A whole number of instances, 1 to 9999."
  }
}

variable "worker_max_instances" {
  description = "At most this many worker instances, each running one task (docs/deploy.md, \"Capacity and cost\")."
  type        = number
  default     = 50
  validation {
    condition     = var.worker_max_instances >= 1 && var.worker_max_instances <= 9999 && floor(var.worker_max_instances) == var.worker_max_instances
    error_message = "A whole number of instances, 1 to 9999."
  }
}

variable "oauth_client_id" {
  description = "OAuth client (Google Auth Platform -> Clients, type Web application) that Google sign-in uses. Null: enable Google sign-in in the Firebase console instead (docs/deploy.md, \"Sign-in\")."
  type        = string
  default     = null
  validation {
    condition     = var.oauth_client_id == null || can(regex("^[0-9]+-[a-z0-9]+\\.apps\\.googleusercontent\\.com$", var.oauth_client_id))
    error_message = "An OAuth client id looks like 123456789012-abc....apps.googleusercontent.com."
  }
}

variable "oauth_client_secret" {
  description = "The OAuth client's secret (set it with TF_VAR_oauth_client_secret, not in a file you commit)."
  type        = string
  default     = null
  sensitive   = true
  validation {
    condition     = (var.oauth_client_secret == null) == (var.oauth_client_id == null)
    error_message = "oauth_client_id and oauth_client_secret go together."
  }
}
