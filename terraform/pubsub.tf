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
