# Who may do what (docs/deploy.md, "Who may do what"): every service account and binding comes from
# ../iam/policy.json, the definition scripts/deploy and the local stack's storage emulator read
# too, expanded by the provider-free module ./iam_policy. Nothing here names a role or a member.
module "iam" {
  source         = "./iam_policy"
  project        = var.project
  bucket         = local.bucket
  private_bucket = local.private_bucket
  relay_labels   = var.relay_labels
}

locals {
  # Bindings by the resource that holds them.
  iam = { for on in ["project", "publicBucket", "privateBucket", "tasksTopic", "relayTopic", "relaySubscription", "workerService", "apiService"] :
    on => { for k, b in module.iam.bindings : k => b if b.on == on }
  }
}

# One identity per job (a relay per label: relay:<label>).
resource "google_service_account" "sa" {
  for_each     = module.iam.service_accounts
  account_id   = each.value.id
  display_name = each.value.display_name
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_member" "iam" {
  for_each   = local.iam.project
  project    = var.project
  role       = each.value.role
  member     = each.value.member
  depends_on = [google_service_account.sa]
}

resource "google_storage_bucket_iam_member" "public" {
  for_each = local.iam.publicBucket
  bucket   = google_storage_bucket.public.name
  role     = each.value.role
  member   = each.value.member
  dynamic "condition" {
    for_each = each.value.condition == null ? [] : [each.value.condition]
    content {
      title       = condition.value.title
      description = condition.value.description
      expression  = condition.value.expression
    }
  }
  depends_on = [google_service_account.sa]
}

resource "google_storage_bucket_iam_member" "private" {
  for_each = local.iam.privateBucket
  bucket   = google_storage_bucket.private.name
  role     = each.value.role
  member   = each.value.member
  dynamic "condition" {
    for_each = each.value.condition == null ? [] : [each.value.condition]
    content {
      title       = condition.value.title
      description = condition.value.description
      expression  = condition.value.expression
    }
  }
  depends_on = [google_service_account.sa]
}

resource "google_pubsub_topic_iam_member" "tasks" {
  for_each   = local.iam.tasksTopic
  topic      = google_pubsub_topic.tasks.name
  role       = each.value.role
  member     = each.value.member
  depends_on = [google_service_account.sa]
}

resource "google_pubsub_topic_iam_member" "relay" {
  for_each   = local.iam.relayTopic
  topic      = google_pubsub_topic.relay.name
  role       = each.value.role
  member     = each.value.member
  depends_on = [google_service_account.sa]
}

resource "google_pubsub_subscription_iam_member" "relay" {
  for_each     = local.iam.relaySubscription
  subscription = google_pubsub_subscription.relay[each.value.label].name
  role         = each.value.role
  member       = each.value.member
  depends_on   = [google_service_account.sa]
}

# Eventarc pushes to the worker as the trigger identity.
resource "google_cloud_run_service_iam_member" "worker" {
  for_each   = local.iam.workerService
  location   = google_cloudfunctions2_function.worker.location
  service    = google_cloudfunctions2_function.worker.name
  role       = each.value.role
  member     = each.value.member
  depends_on = [google_service_account.sa]
}

# The app authenticates its users itself (Firebase ID tokens), so anyone may call the API.
resource "google_cloud_run_service_iam_member" "api" {
  for_each = local.iam.apiService
  location = google_cloudfunctions2_function.api.location
  service  = google_cloudfunctions2_function.api.name
  role     = each.value.role
  member   = each.value.member
}

# The relays' keys are not made here: they would sit in the Terraform state. See output relay_key_commands.
