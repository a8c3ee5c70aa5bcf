# The web app under gs://<bucket>/web/, beside its config.json; revalidated on every load.
locals {
  web_dir   = "${path.module}/../dist/web"
  web_files = fileset(local.web_dir, "**")
  content_types = {
    html = "text/html; charset=utf-8"
    js   = "text/javascript; charset=utf-8"
    css  = "text/css; charset=utf-8"
    json = "application/json"
    map  = "application/json"
    svg  = "image/svg+xml"
    png  = "image/png"
    ico  = "image/x-icon"
    wasm = "application/wasm"
  }
  default_label = length(var.relay_labels) == 1 ? one(var.relay_labels) : null
  web_config = merge(
    { storageUrl = local.public_storage_url },
    local.default_label == null ? {} : { defaultBackendUri = "gs://${local.bucket}/sortingview-backends/${local.default_label}.json" },
  )
}

resource "google_storage_bucket_object" "web" {
  for_each      = local.web_files
  bucket        = google_storage_bucket.public.name
  name          = "web/${each.value}"
  source        = "${local.web_dir}/${each.value}"
  content_type  = lookup(local.content_types, reverse(split(".", each.value))[0], "application/octet-stream")
  cache_control = "no-cache"
}

resource "google_storage_bucket_object" "web_config" {
  bucket        = google_storage_bucket.public.name
  name          = "web/config.json"
  content       = jsonencode(local.web_config)
  content_type  = "application/json"
  cache_control = "no-cache"
}
