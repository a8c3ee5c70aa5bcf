resource "google_pubsub_topic" "tasks" {
  name       = "sortingview-tasks"
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "relay" {
  name       = "sortingview-relay"
  depends_on = [google_project_service.apis]
}

# One subscription per relay, filtered to its label and never expiring (an idle subscription is
# otherwise deleted after 31 days, and the relay is not allowed to create one itself).
resource "google_pubsub_subscription" "relay" {
  for_each             = var.relay_labels
  name                 = "sortingview-relay-${each.value}"
  topic                = google_pubsub_topic.relay.id
  filter               = "attributes.backend = \"${each.value}\""
  ack_deadline_seconds = 60

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "functions_publish_tasks" {
  topic  = google_pubsub_topic.tasks.name
  role   = "roles/pubsub.publisher"
  member = google_service_account.functions.member
}

resource "google_pubsub_topic_iam_member" "relay_publish_tasks" {
  topic  = google_pubsub_topic.tasks.name
  role   = "roles/pubsub.publisher"
  member = google_service_account.relay.member
}

resource "google_pubsub_topic_iam_member" "functions_publish_relay" {
  topic  = google_pubsub_topic.relay.name
  role   = "roles/pubsub.publisher"
  member = google_service_account.functions.member
}

resource "google_pubsub_subscription_iam_member" "relay_subscriber" {
  for_each     = var.relay_labels
  subscription = google_pubsub_subscription.relay[each.value].name
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.relay.member
}

# The relay checks at start that its subscription exists (pubsub.subscriptions.get).
resource "google_pubsub_subscription_iam_member" "relay_viewer" {
  for_each     = var.relay_labels
  subscription = google_pubsub_subscription.relay[each.value].name
  role         = "roles/pubsub.viewer"
  member       = google_service_account.relay.member
}
