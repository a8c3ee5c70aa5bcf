// The route table. Patterns match the raw (still percent-encoded) path so an object name's
// encoded slashes (%2F) stay inside one parameter; parameters are decoded after matching.
// The JSON API is served both under /storage/v1 (apiEndpoint) and at the root, because with
// STORAGE_EMULATOR_HOST set the client uses that value verbatim as its base URL (no /storage/v1).
import type { Permission } from './access';
import { deleteBucket, getBucket, getStorageLayout, insertBucket, listBuckets } from './buckets';
import type { Ctx } from './context';
import { invalid } from './errors';
import { copyObject, deleteObject, getObject, listObjects, mediaRequested, patchObject, xmlGetObject } from './objects';
import { insertObject, resumableCancel, resumablePut } from './uploads';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: RegExp;
  /** Operation counted on success (counters.ts); a function when it depends on the request. */
  op?: string | ((ctx: Ctx) => string);
  /** Checked against the `bucket` parameter (or the project when there is none). */
  permission?: Permission;
  /** XML API form: anonymous unless Bearer, errors as XML. */
  xml?: boolean;
  handle: (ctx: Ctx) => Promise<void> | void;
}

const JSON_API = '(?:/storage/v1)?';
// gcloud storage sends resumable uploads to /resumable/upload/storage/v1/…, which GCS also serves.
const UPLOAD = '(?:/resumable)?/upload/storage/v1';
const B = '(?<bucket>[^/]+)';
const O = '(?<object>.+)';

export const ROUTES: Route[] = [
  { method: 'GET', pattern: re(`${JSON_API}/b/?`), op: 'buckets.list', permission: 'storage.buckets.list', handle: listBuckets },
  { method: 'POST', pattern: re(`${JSON_API}/b/?`), op: 'buckets.insert', permission: 'storage.buckets.create', handle: insertBucket },
  { method: 'GET', pattern: re(`${JSON_API}/b/${B}/o/?`), op: 'objects.list', permission: 'storage.objects.list', handle: listObjects },
  {
    method: 'POST',
    pattern: re(`${JSON_API}/b/(?<srcBucket>[^/]+)/o/(?<srcObject>.+)/(?<verb>copyTo|rewriteTo)/b/${B}/o/${O}`),
    op: (ctx) => (ctx.params.verb === 'copyTo' ? 'objects.copy' : 'objects.rewrite'),
    permission: 'storage.objects.create',
    handle: copyObject,
  },
  {
    method: 'GET',
    pattern: re(`${JSON_API}/b/${B}/o/${O}`),
    op: (ctx) => (mediaRequested(ctx) ? 'objects.get.media' : 'objects.get'),
    permission: 'storage.objects.get',
    handle: getObject,
  },
  { method: 'PATCH', pattern: re(`${JSON_API}/b/${B}/o/${O}`), op: 'objects.patch', permission: 'storage.objects.update', handle: patchObject },
  { method: 'PUT', pattern: re(`${JSON_API}/b/${B}/o/${O}`), op: 'objects.update', permission: 'storage.objects.update', handle: patchObject },
  { method: 'DELETE', pattern: re(`${JSON_API}/b/${B}/o/${O}`), op: 'objects.delete', permission: 'storage.objects.delete', handle: deleteObject },
  { method: 'GET', pattern: re(`${JSON_API}/b/${B}/?`), op: 'buckets.get', permission: 'storage.buckets.get', handle: getBucket },
  // GCS requires storage.objects.list here (https://cloud.google.com/storage/docs/json_api/v1/buckets/getStorageLayout).
  { method: 'GET', pattern: re(`${JSON_API}/b/${B}/storageLayout`), op: 'buckets.getStorageLayout', permission: 'storage.objects.list', handle: getStorageLayout },
  { method: 'DELETE', pattern: re(`${JSON_API}/b/${B}/?`), op: 'buckets.delete', permission: 'storage.buckets.delete', handle: deleteBucket },
  { method: 'POST', pattern: re(`${UPLOAD}/b/${B}/o/?`), op: 'objects.insert', permission: 'storage.objects.create', handle: insertObject },
  // The session URI is the credential for these two, as on GCS: no permission check.
  { method: 'PUT', pattern: re(`${UPLOAD}/b/${B}/o/?`), handle: resumablePut },
  { method: 'DELETE', pattern: re(`${UPLOAD}/b/${B}/o/?`), handle: resumableCancel },
  {
    method: 'GET',
    pattern: re(`/download/storage/v1/b/${B}/o/${O}`),
    op: 'objects.get.media',
    permission: 'storage.objects.get',
    handle: (ctx) => {
      ctx.query.set('alt', 'media');
      return getObject(ctx);
    },
  },
  { method: 'GET', pattern: re(`/${B}/${O}`), op: 'xml.getObject', permission: 'storage.objects.get', xml: true, handle: xmlGetObject },
];

function re(source: string): RegExp {
  return new RegExp(`^${source}$`);
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** HEAD is served by the GET route (Node drops the body). */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of ROUTES) {
    if (route.method !== wanted) continue;
    const m = route.pattern.exec(rawPath);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.groups ?? {})) {
      try {
        params[key] = decodeURIComponent(value);
      } catch {
        throw invalid(`Malformed percent-encoding in the request path: ${JSON.stringify(value)}.`);
      }
    }
    return { route, params };
  }
  return undefined;
}
