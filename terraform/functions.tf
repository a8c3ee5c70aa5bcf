# The two functions, from the bundles of scripts/build.mjs (run `npm run build` before `terraform apply`).
locals {
  function_names = toset(["api", "worker"])
}

data "archive_file" "function" {
  for_each    = local.function_names
  type        = "zip"
  source_dir  = "${path.module}/../dist/functions/${each.key}"
  output_path = "${path.module}/.build/${each.key}.zip"
}

# Named by content, so that a changed bundle is a new object and redeploys the function.
resource "google_storage_bucket_object" "function_source" {
  for_each = local.function_names
  bucket   = google_storage_bucket.sources.name
  name     = "${each.key}-${data.archive_file.function[each.key].output_md5}.zip"
  source   = data.archive_file.function[each.key].output_path
}

resource "google_cloudfunctions2_function" "api" {
  name     = "api"
  location = var.region

  build_config {
    runtime         = var.functions_runtime
    entry_point     = "api"
    service_account = google_service_account.sa["build"].id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.function_source["api"].name
      }
    }
  }

  # Sized for docs/deploy.md, "Capacity and cost" (scripts/deploy.d/resources.mjs FUNCTIONS says why):
  # 80 requests at once per instance, which Cloud Run allows only with a whole vCPU.
  service_config {
    available_cpu                    = "1"
    available_memory                 = "512Mi"
    max_instance_request_concurrency = 80
    timeout_seconds                  = 60
    max_instance_count               = var.api_max_instances
    service_account_email            = google_service_account.sa["api"].email
    environment_variables            = local.functions_env
    ingress_settings                 = "ALLOW_ALL"
  }

  depends_on = [google_project_iam_member.iam]
}

resource "google_cloudfunctions2_function" "worker" {
  name     = "worker"
  location = var.region

  build_config {
    runtime         = var.functions_runtime
    entry_point     = "worker"
    service_account = google_service_account.sa["build"].id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.function_source["worker"].name
      }
    }
  }

  # One CPU-bound task per instance.
  service_config {
    available_cpu                    = "1"
    available_memory                 = "2Gi"
    max_instance_request_concurrency = 1
    timeout_seconds                  = 540
    max_instance_count               = var.worker_max_instances
    service_account_email            = google_service_account.sa["worker"].email
    environment_variables            = local.functions_env
    ingress_settings                 = "ALLOW_ALL"
  }

  # The Eventarc trigger: each message on sortingview-tasks arrives as a CloudEvent, retried on failure.
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.tasks.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.sa["trigger"].email
  }

  depends_on = [google_project_iam_member.iam, time_sleep.eventarc_agent]
}

# Eventarc's service agent, created up front: in a project that never used Eventarc the first
# trigger fails until the agent's role has propagated ("Permission denied while using the Eventarc
# Service Agent"). Terraform cannot retry a failed create, so it waits for the propagation instead
# (Google documents minutes; a failed apply is safe to run again).
resource "google_project_service_identity" "eventarc" {
  provider   = google-beta
  project    = var.project
  service    = "eventarc.googleapis.com"
  depends_on = [google_project_service.apis]
}

resource "time_sleep" "eventarc_agent" {
  create_duration = "120s"
  depends_on      = [google_project_service_identity.eventarc]
}
