// Expands iam/policy.json for one deployment: member names, per-label relay accounts and the IAM
// condition expressions. Plain ESM without dependencies, so scripts/deploy (no build) and the
// storage emulator (bundled) import the same code; terraform/iam_policy/ expands the same JSON in
// HCL, and test/deploy/terraform.test.ts checks that both expansions agree. No I/O here.
import { createHash } from 'node:crypto';
import definition from './policy.json' with { type: 'json' };

export { definition };

/** 12 hex digits of sha1(label): labels may be 64 characters with capitals, account ids only 6-30 of [a-z0-9-]. */
export const labelHash = (label) => createHash('sha1').update(label, 'utf8').digest('hex').slice(0, 12);

const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (whole, key) => {
  if (vars[key] === undefined) throw new Error(`iam/policy.json: ${JSON.stringify(template)} needs {${key}}, which only a relay label gives`);
  return vars[key];
});

/** The service accounts: key (relay keys are `relay:<label>`) → {id, email, displayName}. */
export function serviceAccounts(project, labels = []) {
  const out = {};
  for (const [key, sa] of Object.entries(definition.serviceAccounts)) {
    for (const label of sa.perLabel ? labels : [null]) {
      const vars = label === null ? { project } : { project, label, labelHash: labelHash(label) };
      const id = fill(sa.id, vars);
      out[label === null ? key : `${key}:${label}`] = { id, email: `${id}@${project}.iam.gserviceaccount.com`, displayName: fill(sa.displayName, vars) };
    }
  }
  return out;
}

const objectName = (bucket, path) => `projects/_/buckets/${bucket}/objects/${path}`;

/** The CEL expression of a binding's `prefixes` / `objects` (the emulator evaluates exactly this text). */
export function conditionExpression(bucket, prefixes = [], objects = []) {
  return [
    ...prefixes.map((p) => `resource.name.startsWith("${objectName(bucket, p)}")`),
    ...objects.map((o) => `resource.name == "${objectName(bucket, o)}"`),
  ].join(' || ');
}

const ROLE_SHORT = (role) => role.replace(/^roles\/[a-z]+\./, '');

/**
 * Every binding of the deployment, in definition order: {on, role, member, condition?, local, key}.
 * `on` names the resource (publicBucket, privateBucket, tasksTopic, relayTopic, relaySubscription,
 * project, workerService, apiService); relay bindings and relaySubscription repeat per label (with
 * `label`). `local` bindings exist only on the local stack (a project member's rights in the cloud).
 */
export function expandBindings({ project, bucket, privateBucket, labels = [] }) {
  const accounts = serviceAccounts(project, labels);
  const buckets = { publicBucket: bucket, privateBucket };
  const out = [];
  for (const b of definition.bindings) {
    const sa = definition.serviceAccounts[b.member];
    const perLabel = sa?.perLabel || b.on === 'relaySubscription';
    for (const label of perLabel ? labels : [null]) {
      const vars = { project, ...(label === null ? {} : { label, labelHash: labelHash(label) }) };
      let member;
      if (b.member === 'allUsers') member = 'allUsers';
      else if (sa) member = `serviceAccount:${accounts[sa.perLabel ? `${b.member}:${label}` : b.member].email}`;
      else if (definition.localPrincipals[b.member]) member = fill(definition.localPrincipals[b.member].member, vars);
      else throw new Error(`iam/policy.json: unknown member ${JSON.stringify(b.member)}`);
      const binding = { on: b.on, role: b.role, member, local: b.local === true, key: b.member, ...(label === null ? {} : { label }) };
      if (b.prefixes || b.objects) {
        if (!buckets[b.on]) throw new Error(`iam/policy.json: conditions apply to buckets, not ${b.on}`);
        binding.condition = {
          title: `sv-${b.member}${label === null ? '' : `-${labelHash(label)}`}-${ROLE_SHORT(b.role)}`,
          description: `${b.member}${label === null ? '' : ` ${label}`}: ${[...(b.prefixes ?? []).map((p) => `${fill(p, vars)}*`), ...(b.objects ?? []).map((o) => fill(o, vars))].join(', ')}`,
          expression: conditionExpression(buckets[b.on], (b.prefixes ?? []).map((p) => fill(p, vars)), (b.objects ?? []).map((o) => fill(o, vars))),
        };
      }
      out.push(binding);
    }
  }
  return out;
}

/** The Cloud Storage permissions of a role (empty for roles outside storage). */
export const rolePermissions = (role) => definition.roles[role] ?? [];
