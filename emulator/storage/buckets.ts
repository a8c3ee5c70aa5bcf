// JSON API bucket handlers: list, insert, get, delete. Buckets created through the API are
// private; public buckets come from the emulator options (there is no IAM API here).
import type { Ctx } from './context';
import { invalid } from './errors';
import { readJson, sendEmpty, sendJson } from './http';
import { bucketResource, storageLayoutResource } from './resources';

export function listBuckets(ctx: Ctx): void {
  const prefix = ctx.query.get('prefix') ?? '';
  const items = ctx.deps.store
    .listBuckets()
    .filter((b) => b.name.startsWith(prefix))
    .map((b) => bucketResource(b, ctx.baseUrl, ctx.deps.corsOrigins));
  sendJson(ctx.res, 200, items.length > 0 ? { kind: 'storage#buckets', items } : { kind: 'storage#buckets' });
}

export async function insertBucket(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req, ctx.deps.limits.maxJsonBytes);
  const name = body && typeof body === 'object' ? (body as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name === '') throw invalid('Required field missing: name (the bucket resource needs a name).');
  const created = ctx.deps.store.createBucket(name, false);
  sendJson(ctx.res, 200, bucketResource(created, ctx.baseUrl, ctx.deps.corsOrigins));
}

export function getBucket(ctx: Ctx): void {
  const bucket = ctx.deps.store.bucket(ctx.params.bucket!);
  sendJson(ctx.res, 200, bucketResource(bucket, ctx.baseUrl, ctx.deps.corsOrigins));
}

export function getStorageLayout(ctx: Ctx): void {
  sendJson(ctx.res, 200, storageLayoutResource(ctx.deps.store.bucket(ctx.params.bucket!)));
}

export function deleteBucket(ctx: Ctx): void {
  ctx.deps.store.deleteBucket(ctx.params.bucket!);
  sendEmpty(ctx.res, 204);
}
