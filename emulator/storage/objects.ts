// JSON API object handlers (get, patch, update, delete, list, copy/rewrite) and the XML/public
// GET /<bucket>/<object>. Uploads live in uploads.ts.
import { authorize } from './access';
import type { Ctx } from './context';
import { invalid } from './errors';
import { readJson, sendEmpty, sendJson } from './http';
import { listPage, parseListQuery } from './listing';
import { sendMedia } from './media';
import { applyPatch, replaceMeta } from './objectMeta';
import { checkConditions, parseConditions } from './preconditions';
import { objectResource } from './resources';
import type { ObjectRecord } from './store';

function generationParam(query: URLSearchParams, key = 'generation'): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw invalid(`Invalid value for ${key}: "${raw}".`);
  return Number(raw);
}

/** The live object (or the requested generation of it), after read preconditions. */
function readTarget(ctx: Ctx): ObjectRecord {
  const { bucket, object } = ctx.params;
  const o = ctx.deps.store.object(bucket!, object!, generationParam(ctx.query));
  checkConditions(parseConditions(ctx.query), o);
  return o;
}

export const mediaRequested = (ctx: Ctx): boolean => ctx.query.get('alt') === 'media';

/** objects.get: metadata by default, bytes with alt=media (also the /download/… form). */
export async function getObject(ctx: Ctx): Promise<void> {
  const o = readTarget(ctx);
  if (!mediaRequested(ctx)) return sendJson(ctx.res, 200, objectResource(o, ctx.baseUrl));
  const bucket = ctx.deps.store.bucket(o.bucket);
  await sendMedia(ctx.req, ctx.res, o, { xml: false, bucketPublic: bucket.public });
}

/** GET/HEAD https://storage.googleapis.com/<bucket>/<object>, what browsers fetch. */
export async function xmlGetObject(ctx: Ctx): Promise<void> {
  const o = readTarget(ctx);
  const bucket = ctx.deps.store.bucket(o.bucket);
  await sendMedia(ctx.req, ctx.res, o, { xml: true, bucketPublic: bucket.public });
}

/** objects.patch (merge) and objects.update (replace); both bump metageneration. */
export async function patchObject(ctx: Ctx): Promise<void> {
  const { bucket, object } = ctx.params;
  const body = await readJson(ctx.req, ctx.deps.limits.maxJsonBytes);
  const store = ctx.deps.store;
  const generation = generationParam(ctx.query);
  const current = store.object(bucket!, object!, generation);
  const next = ctx.req.method === 'PUT' ? replaceMeta(body) : applyPatch(current, body);
  const updated = store.updateMeta(bucket!, object!, next, parseConditions(ctx.query), generation);
  sendJson(ctx.res, 200, objectResource(updated, ctx.baseUrl));
}

export function deleteObject(ctx: Ctx): void {
  const { bucket, object } = ctx.params;
  ctx.deps.store.deleteObject(bucket!, object!, parseConditions(ctx.query), generationParam(ctx.query));
  sendEmpty(ctx.res, 204);
}

export function listObjects(ctx: Ctx): void {
  const { bucket } = ctx.params;
  const page = listPage(ctx.deps.store.sortedObjects(bucket!), parseListQuery(ctx.query));
  const body: Record<string, unknown> = { kind: 'storage#objects' };
  // GCS omits empty arrays; the client treats a missing `items` as none.
  if (page.items.length > 0) body.items = page.items.map((o) => objectResource(o, ctx.baseUrl));
  if (page.prefixes.length > 0) body.prefixes = page.prefixes;
  if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
  sendJson(ctx.res, 200, body);
}

/**
 * objects.copy (…/copyTo/…) and objects.rewrite (…/rewriteTo/…; what `file.copy` uses in 7.x).
 * A rewrite finishes in one call (`done: true`), as GCS does for small same-location objects.
 * Source preconditions are `ifSource*` + `sourceGeneration`; destination ones are `if*`.
 */
export async function copyObject(ctx: Ctx): Promise<void> {
  const { srcBucket, srcObject, bucket, object, verb } = ctx.params;
  const store = ctx.deps.store;
  const body = await readJson(ctx.req, ctx.deps.limits.maxJsonBytes);
  const sourceBucket = store.bucket(srcBucket!);
  authorize(ctx.caller, 'storage.objects.get', sourceBucket, false, srcObject);
  const source = store.object(srcBucket!, srcObject!, generationParam(ctx.query, 'sourceGeneration'));
  checkConditions(parseConditions(ctx.query, 'ifSource'), source);
  const meta = applyPatch(source, body ?? {});
  const copied = store.putObject(bucket!, object!, source.data, meta, parseConditions(ctx.query));
  const resource = objectResource(copied, ctx.baseUrl);
  if (verb === 'copyTo') return sendJson(ctx.res, 200, resource);
  const size = String(copied.data.length);
  sendJson(ctx.res, 200, { kind: 'storage#rewriteResponse', totalBytesRewritten: size, objectSize: size, done: true, resource });
}
