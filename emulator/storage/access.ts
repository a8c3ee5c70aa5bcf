// Who is calling, and may they? The real client sends no Authorization header to a custom
// endpoint, so identity comes from the port (see README.md "Why two ports"):
//  - trusted port: the project's service account (everything allowed);
//  - public port: anonymous, unless the request carries `Authorization: Bearer …`.
// The XML form GET /<bucket>/<object> is anonymous on both ports unless it carries a Bearer
// token: it is what browsers and the client's own `file.isPublic()` use, unauthenticated.
// Anonymous callers get what `allUsers:objectViewer` grants on a public bucket: objects.get
// and objects.list; nothing on private buckets and no writes.
import { GcsError } from './errors';
import type { BucketRecord } from './store';

export type Caller = 'serviceAccount' | 'authenticated' | 'anonymous';
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

const ANONYMOUS_ON_PUBLIC: ReadonlySet<Permission> = new Set(['storage.objects.get', 'storage.objects.list']);

export function resolveCaller(port: PortKind, authorization: string | undefined, xmlForm: boolean): Caller {
  if (authorization && /^Bearer\s+\S+/i.test(authorization)) return 'authenticated';
  if (xmlForm || port === 'public') return 'anonymous';
  return 'serviceAccount';
}

/**
 * Throws when `caller` lacks `permission` on `bucket`. GCS answers anonymous callers of the JSON
 * API with 401 (reason `required`) and of the XML API with 403 AccessDenied.
 */
export function authorize(caller: Caller, permission: Permission, bucket: BucketRecord | undefined, xmlForm: boolean): void {
  if (caller !== 'anonymous') return;
  if (bucket?.public && ANONYMOUS_ON_PUBLIC.has(permission)) return;
  const onObject = permission.startsWith('storage.objects.') && permission !== 'storage.objects.list';
  const resource = onObject ? 'object' : 'bucket';
  const message =
    `Anonymous caller does not have ${permission} access to the Google Cloud Storage ${resource}. ` +
    `Permission '${permission}' denied on resource (or it may not exist).`;
  if (xmlForm) throw new GcsError(403, 'forbidden', message, 'AccessDenied');
  throw new GcsError(401, 'required', message, 'AccessDenied', { locationType: 'header', location: 'Authorization' });
}
