// The local stack's identities and the storage emulator's bucket policies, both from
// iam/policy.json (the definition scripts/deploy and terraform grant), so what a test shows a
// component may not do locally is what the deployment forbids it.
import { expandBindings, serviceAccounts } from '../iam/policy.mjs';
import type { BucketPolicies } from './storage/iam';

export interface IamScope { project: string; bucket: string; privateBucket: string; labels: string[] }

/** The storage bindings of the definition (local ones included), by bucket name. */
export function storagePolicies(scope: IamScope): BucketPolicies {
  const out: BucketPolicies = { [scope.bucket]: [], [scope.privateBucket]: [] };
  for (const b of expandBindings(scope)) {
    const bucket = b.on === 'publicBucket' ? scope.bucket : b.on === 'privateBucket' ? scope.privateBucket : null;
    if (bucket) out[bucket]!.push({ role: b.role, member: b.member, ...(b.condition ? { condition: { expression: b.condition.expression } } : {}) });
  }
  return out;
}

export type ComponentKey = 'api' | 'worker' | 'relay' | 'cli';

/**
 * Each component's member (the deployment's service accounts; a lab member for the CLI) and a
 * credentials file made by `write(name, member)`.
 */
export function localPrincipals(scope: IamScope, label: string, write: (name: string, member: string) => string): Record<ComponentKey, { member: string; credentials: string }> {
  const sa = serviceAccounts(scope.project, [label]);
  const cli = expandBindings(scope).find((b) => b.key === 'cli');
  if (!cli) throw new Error('iam/policy.json grants the CLI nothing');
  const members: Record<ComponentKey, string> = {
    api: `serviceAccount:${sa.api!.email}`,
    worker: `serviceAccount:${sa.worker!.email}`,
    relay: `serviceAccount:${sa[`relay:${label}`]!.email}`,
    cli: cli.member,
  };
  const out = {} as Record<ComponentKey, { member: string; credentials: string }>;
  for (const [key, member] of Object.entries(members) as [ComponentKey, string][]) out[key] = { member, credentials: write(key, member) };
  return out;
}
