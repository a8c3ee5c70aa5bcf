// Who is calling, and may they? Identity (see identity.ts and README.md "Who the caller is"):
//  - a valid access token this emulator issued (Authorization: Bearer …) → that principal, on
//    either port, judged by the buckets' IAM policies (iam.ts, from iam/policy.json locally);
//  - anything else on the public port, on the XML form, or with an Authorization header the
//    emulator cannot verify ("Bearer junk") → anonymous (member allUsers);
//  - no Authorization header on the trusted port → the project owner (test harnesses, demo setup).
// Refusals read like GCS's: anonymous on the JSON API → 401 `required`; a principal → 403
// "<email> does not have <permission> access to the Google Cloud Storage object. …"; XML → 403 AccessDenied.
import { GcsError } from './errors';
import type { IamPolicies } from './iam';
import type { LocalIdentities } from './identity';
import type { BucketRecord } from './store';

export type Caller =
  | { kind: 'owner'; iam: IamPolicies }
  | { kind: 'anonymous'; iam: IamPolicies }
  | { kind: 'principal'; member: string; iam: IamPolicies };
export type PortKind = 'trusted' | 'public';

export type Permission =
  | 'storage.buckets.create'
  | 'storage.buckets.list'
  | 'storage.buckets.get'
  | 'storage.buckets.delete'
  | 'storage.objects.create'
  | 'storage.objects.get'
  | 'storage.objects.list'
  | 'storage.objects.update'
  | 'storage.objects.delete';

export function resolveCaller(port: PortKind, authorization: string | undefined, xmlForm: boolean, identities: LocalIdentities, iam: IamPolicies): Caller {
  const member = identities.resolve(authorization);
  if (member) return { kind: 'principal', member, iam };
  if (authorization !== undefined || xmlForm || port === 'public') return { kind: 'anonymous', iam };
  return { kind: 'owner', iam };
}

/** `serviceAccount:a@b` → `a@b`, as GCS names a caller in its messages. */
const principalName = (member: string) => member.replace(/^(serviceAccount|user|group):/, '');

/**
 * Throws when `caller` lacks `permission` on `object` in `bucket` (on the bucket itself without
 * `object`). Bucket metadata and bucket-level calls without a bucket need project roles, which no
 * local principal holds.
 */
export function authorize(caller: Caller, permission: Permission, bucket: BucketRecord | undefined, xmlForm: boolean, object?: string): void {
  if (caller.kind === 'owner') return;
  const members = caller.kind === 'anonymous' ? ['allUsers'] : ['allUsers', 'allAuthenticatedUsers', caller.member];
  if (bucket && permission.startsWith('storage.objects.') && caller.iam.allows(members, permission, bucket.name, object)) return;
  const resource = object !== undefined ? 'object' : 'bucket';
  const who = caller.kind === 'anonymous' ? 'Anonymous caller' : principalName(caller.member);
  const message = `${who} does not have ${permission} access to the Google Cloud Storage ${resource}. ` +
    `Permission '${permission}' denied on resource (or it may not exist).`;
  if (xmlForm || caller.kind === 'principal') throw new GcsError(403, 'forbidden', message, 'AccessDenied');
  throw new GcsError(401, 'required', message, 'AccessDenied', { locationType: 'header', location: 'Authorization' });
}
