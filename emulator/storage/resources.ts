// The JSON API resource shapes (storage#object, storage#bucket). Numbers that GCS sends as
// strings (generation, metageneration, size) are strings here too; clients rely on it.
// Links are built from the Host the request came in on, so they work on either port.
import type { BucketRecord, ObjectRecord } from './store';

/** GCS etags are opaque base64; ours encode generation and metageneration so either change shows. */
export function objectEtag(o: ObjectRecord): string {
  return Buffer.from(`${o.generation}/${o.metageneration}`).toString('base64');
}

export function objectResource(o: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const encoded = encodeURIComponent(o.name);
  const resource: Record<string, unknown> = {
    kind: 'storage#object',
    id: `${o.bucket}/${o.name}/${o.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${o.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${o.bucket}/o/${encoded}?generation=${o.generation}&alt=media`,
    name: o.name,
    bucket: o.bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: 'STANDARD',
    size: String(o.data.length),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    etag: objectEtag(o),
    timeCreated: o.timeCreated,
    updated: o.updated,
    timeStorageClassUpdated: o.timeCreated,
    timeFinalized: o.timeCreated,
  };
  if (o.contentEncoding) resource.contentEncoding = o.contentEncoding;
  if (o.cacheControl) resource.cacheControl = o.cacheControl;
  if (o.contentDisposition) resource.contentDisposition = o.contentDisposition;
  if (o.contentLanguage) resource.contentLanguage = o.contentLanguage;
  if (o.metadata) resource.metadata = { ...o.metadata };
  return resource;
}

/** buckets.getStorageLayout (what `gcloud storage rm -r` asks): a flat namespace, never hierarchical. */
export function storageLayoutResource(b: BucketRecord): Record<string, unknown> {
  return { kind: 'storage#storageLayout', bucket: b.name, location: 'US', locationType: 'multi-region', hierarchicalNamespace: { enabled: false } };
}

export function bucketResource(b: BucketRecord, baseUrl: string, corsOrigins: string[]): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    kind: 'storage#bucket',
    id: b.name,
    selfLink: `${baseUrl}/storage/v1/b/${b.name}`,
    projectNumber: '000000000000',
    name: b.name,
    timeCreated: b.timeCreated,
    updated: b.timeCreated,
    metageneration: String(b.metageneration),
    location: 'US',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: Buffer.from(`${b.metageneration}`).toString('base64'),
    iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: b.public ? 'inherited' : 'enforced' },
  };
  // Report the CORS policy the public port actually applies, as `gsutil cors get` would show it.
  if (b.public && corsOrigins.length > 0) {
    resource.cors = [{ origin: corsOrigins, method: ['GET', 'HEAD'], responseHeader: ['*'], maxAgeSeconds: 3600 }];
  }
  return resource;
}
