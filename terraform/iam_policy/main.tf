# The expansion of ../../iam/policy.json for this deployment, in HCL: the same names, members and
# condition expressions as iam/policy.mjs (which scripts/deploy and the storage emulator use).
# test/deploy/terraform.test.ts evaluates this module with terraform itself (it needs no provider)
# and requires the two expansions to be equal.
variable "project" {
  type = string
}

variable "bucket" {
  type = string
}

variable "private_bucket" {
  type = string
}

variable "relay_labels" {
  type = set(string)
}

locals {
  def     = jsondecode(file("${path.module}/../../iam/policy.json"))
  labels  = sort(tolist(var.relay_labels))
  buckets = { publicBucket = var.bucket, privateBucket = var.private_bucket }
  # Labels may be 64 characters with capitals; account ids are 6-30 of [a-z0-9-].
  label_hash = { for l in local.labels : l => substr(sha1(l), 0, 12) }

  per_label_accounts = [for k, sa in local.def.serviceAccounts : k if try(sa.perLabel, false)]
  service_accounts = merge(
    { for k, sa in local.def.serviceAccounts : k => { id = sa.id, display_name = sa.displayName } if !try(sa.perLabel, false) },
    { for pair in setproduct(local.per_label_accounts, local.labels) : "${pair[0]}:${pair[1]}" => {
      id           = replace(replace(local.def.serviceAccounts[pair[0]].id, "{labelHash}", local.label_hash[pair[1]]), "{label}", pair[1])
      display_name = replace(replace(local.def.serviceAccounts[pair[0]].displayName, "{labelHash}", local.label_hash[pair[1]]), "{label}", pair[1])
    } }
  )

  # One entry per binding and label (relay bindings and relaySubscription repeat per label);
  # the local stack's own bindings ("local": true) are not deployed.
  expanded = flatten([
    for i, b in local.def.bindings : [
      for label in(contains(local.per_label_accounts, b.member) || b.on == "relaySubscription" ? local.labels : [""]) : {
        key   = "${b.on}/${b.role}/${b.member}${label == "" ? "" : "/${label}"}"
        on    = b.on
        role  = b.role
        label = label
        member = b.member == "allUsers" ? "allUsers" : format("serviceAccount:%s@%s.iam.gserviceaccount.com",
        local.service_accounts[contains(local.per_label_accounts, b.member) ? "${b.member}:${label}" : b.member].id, var.project)
        paths = concat(
          [for p in try(b.prefixes, []) : { op = "startsWith", path = replace(p, "{label}", label) }],
          [for o in try(b.objects, []) : { op = "equals", path = replace(o, "{label}", label) }],
        )
        title = "sv-${b.member}${label == "" ? "" : "-${local.label_hash[label]}"}-${replace(b.role, "/^roles/[a-z]+\\./", "")}"
        who   = "${b.member}${label == "" ? "" : " ${label}"}"
      }
    ] if !try(b.local, false)
  ])

  bindings = { for e in local.expanded : e.key => {
    on     = e.on
    role   = e.role
    member = e.member
    label  = e.label
    condition = length(e.paths) == 0 ? null : {
      title       = e.title
      description = "${e.who}: ${join(", ", [for p in e.paths : p.op == "startsWith" ? "${p.path}*" : p.path])}"
      expression = join(" || ", [for p in e.paths : p.op == "startsWith"
        ? "resource.name.startsWith(\"projects/_/buckets/${local.buckets[e.on]}/objects/${p.path}\")"
      : "resource.name == \"projects/_/buckets/${local.buckets[e.on]}/objects/${p.path}\""])
    }
  } }
}

# key (api, worker, trigger, build, relay:<label>) → {id, display_name}
output "service_accounts" {
  value = local.service_accounts
}

# "<on>/<role>/<member key>[/<label>]" → {on, role, member, label ("" unless per label), condition (null or {title, description, expression})}
output "bindings" {
  value = local.bindings
}
