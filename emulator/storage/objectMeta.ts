// Turning request JSON (upload metadata, objects.patch / objects.update bodies) into writable
// object metadata. Read-only fields a client echoes back (size, md5Hash, generation…) are ignored,
// as GCS ignores them; a wrong type is a 400 rather than a crash.
import { invalid, metadataTooLarge } from './errors';
import type { ObjectMeta } from './store';

const STRING_FIELDS = ['contentType', 'contentEncoding', 'cacheControl', 'contentDisposition', 'contentLanguage'] as const;

function asRecord(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid(`${what} must be a JSON object.`);
  return body as Record<string, unknown>;
}

function customMetadata(value: unknown, base: Record<string, string> = {}): Record<string, string> | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('metadata must be an object of string values.');
  const out = { ...base };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // objects.patch semantics: a null value removes that key.
    if (v === null) delete out[key];
    else if (typeof v === 'object') throw invalid(`metadata.${key} must be a string.`);
    else out[key] = String(v);
  }
  return out;
}

/** GCS: the keys and values of an object's custom metadata total at most 8 KiB (UTF-8 bytes). */
export const MAX_CUSTOM_METADATA_BYTES = 8 * 1024;

function checkCustomMetadataSize(meta: ObjectMeta): ObjectMeta {
  let bytes = 0;
  for (const [key, value] of Object.entries(meta.metadata ?? {})) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (bytes > MAX_CUSTOM_METADATA_BYTES) {
    throw metadataTooLarge(`The custom metadata has ${bytes} bytes of keys and values; Cloud Storage allows ${MAX_CUSTOM_METADATA_BYTES} per object.`);
  }
  return meta;
}

/** Metadata of a new object from an upload's JSON resource (multipart part 1, resumable POST body). */
export function metaFromResource(body: unknown): ObjectMeta {
  const src = asRecord(body, 'Object resource');
  const meta: ObjectMeta = {};
  for (const key of STRING_FIELDS) {
    const v = src[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalid(`${key} must be a string.`);
    meta[key] = v;
  }
  if (src.metadata !== undefined && src.metadata !== null) meta.metadata = customMetadata(src.metadata);
  return checkCustomMetadataSize(meta);
}

/** objects.patch: present fields replace, null clears, absent fields are kept. */
export function applyPatch(current: ObjectMeta, body: unknown): ObjectMeta {
  const src = asRecord(body, 'Patch body');
  const next: ObjectMeta = { ...current, metadata: current.metadata ? { ...current.metadata } : undefined };
  for (const key of STRING_FIELDS) {
    if (!(key in src)) continue;
    const v = src[key];
    if (v === null) delete next[key];
    else if (typeof v === 'string') next[key] = v;
    else throw invalid(`${key} must be a string or null.`);
  }
  if ('metadata' in src) next.metadata = src.metadata === null ? undefined : customMetadata(src.metadata, current.metadata);
  return checkCustomMetadataSize(next);
}

/** objects.update (PUT): the body is the whole writable metadata; absent fields are cleared. */
export function replaceMeta(body: unknown): ObjectMeta {
  return metaFromResource(body);
}

/** Object name from the `name` query parameter or the resource body; they must agree. */
export function uploadName(query: URLSearchParams, resource: unknown): string {
  const fromQuery = query.get('name') ?? undefined;
  const fromBody = asRecord(resource, 'Object resource').name;
  if (fromBody !== undefined && typeof fromBody !== 'string') throw invalid('name must be a string.');
  if (fromQuery !== undefined && fromBody !== undefined && fromQuery !== fromBody) {
    throw invalid(`Value '${fromBody}' in content does not agree with value '${fromQuery}' for the name parameter.`);
  }
  const name = fromQuery ?? fromBody;
  if (!name) throw invalid('Required parameter missing: name (give it as ?name= or in the object resource).');
  return name;
}
