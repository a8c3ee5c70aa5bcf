// The in-memory state shared by both ports: buckets and the live generation of each object.
// Every mutation is synchronous, so a precondition check and the write it guards happen in one
// turn of the event loop; that is what makes concurrent `ifGenerationMatch=0` writers race-free.
// No object versioning: a write replaces the live object (as on a bucket without versioning).
import { bucketNotFound, conflict, invalid, objectNotFound } from './errors';
import { crc32cBase64, md5Base64 } from './hashes';
import { checkConditions, type Conditions } from './preconditions';

export interface BucketRecord {
  name: string;
  public: boolean;
  timeCreated: string;
  metageneration: number;
}

/** Writable object metadata (what uploads and patches may set). */
export interface ObjectMeta {
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  metadata?: Record<string, string>;
}

export interface ObjectRecord extends ObjectMeta {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: number;
  metageneration: number;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
}

export interface StoreOptions {
  /** Injected clock in milliseconds (tests pin it). */
  now?: () => number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
const MAX_OBJECT_NAME_BYTES = 1024;

export function validateObjectName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > MAX_OBJECT_NAME_BYTES || name === '.' || name === '..' || /[\r\n]/.test(name)) {
    throw invalid(`Invalid object name ${JSON.stringify(name)}: it must be 1-1024 bytes of UTF-8 without CR/LF.`);
  }
}

export class Store {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();
  private lastGeneration = 0;
  private readonly now: () => number;

  constructor(opts: StoreOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  // GCS generations are microsecond timestamps; keep that look but force strict increase so
  // two writes in the same microsecond still get distinct, ordered generations.
  private nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Math.floor(this.now() * 1000));
    return this.lastGeneration;
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  createBucket(name: string, isPublic: boolean): BucketRecord {
    if (!BUCKET_NAME.test(name) || name.includes('..')) {
      throw invalid(`Invalid bucket name ${JSON.stringify(name)}: use 3-63 of a-z 0-9 . _ -, starting and ending with a letter or digit.`);
    }
    if (this.buckets.has(name)) {
      throw conflict(`The bucket ${name} already exists (bucket names are global). Pick another name or reuse it.`);
    }
    const record: BucketRecord = { name, public: isPublic, timeCreated: this.isoNow(), metageneration: 1 };
    this.buckets.set(name, record);
    this.objects.set(name, new Map());
    return record;
  }

  findBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  bucket(name: string): BucketRecord {
    const found = this.buckets.get(name);
    if (!found) throw bucketNotFound(name);
    return found;
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  deleteBucket(name: string): void {
    this.bucket(name);
    if ((this.objects.get(name)?.size ?? 0) > 0) {
      throw conflict(`The bucket you tried to delete is not empty: ${name}. Delete its objects first.`);
    }
    this.buckets.delete(name);
    this.objects.delete(name);
  }

  private objectsOf(bucket: string): Map<string, ObjectRecord> {
    const map = this.objects.get(bucket);
    if (!map) throw bucketNotFound(bucket);
    return map;
  }

  findObject(bucket: string, name: string): ObjectRecord | undefined {
    return this.objectsOf(bucket).get(name);
  }

  /** The live object; with `generation`, only if that generation is the live one (no versioning). */
  object(bucket: string, name: string, generation?: number): ObjectRecord {
    const found = this.objectsOf(bucket).get(name);
    if (!found || (generation !== undefined && found.generation !== generation)) throw objectNotFound(bucket, name);
    return found;
  }

  /** Objects of a bucket in lexicographic (UTF-16 code unit, same as byte order for BMP) order. */
  sortedObjects(bucket: string): ObjectRecord[] {
    return [...this.objectsOf(bucket).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Atomic conditional create-or-replace: the check and the write share one synchronous step. */
  putObject(bucket: string, name: string, data: Buffer, meta: ObjectMeta, conditions: Conditions = {}): ObjectRecord {
    validateObjectName(name);
    const objects = this.objectsOf(bucket);
    checkConditions(conditions, objects.get(name));
    const now = this.isoNow();
    const record: ObjectRecord = {
      ...cleanMeta(meta),
      contentType: meta.contentType || 'application/octet-stream',
      bucket,
      name,
      data,
      generation: this.nextGeneration(),
      metageneration: 1,
      md5Hash: md5Base64(data),
      crc32c: crc32cBase64(data),
      timeCreated: now,
      updated: now,
    };
    objects.set(name, record);
    return record;
  }

  /** Replaces the writable metadata of the live object and bumps its metageneration. */
  updateMeta(bucket: string, name: string, next: ObjectMeta, conditions: Conditions, generation?: number): ObjectRecord {
    const current = this.object(bucket, name, generation);
    checkConditions(conditions, current);
    const record: ObjectRecord = {
      ...stripMeta(current),
      ...cleanMeta(next),
      contentType: next.contentType || 'application/octet-stream',
      metageneration: current.metageneration + 1,
      updated: this.isoNow(),
    };
    this.objectsOf(bucket).set(name, record);
    return record;
  }

  deleteObject(bucket: string, name: string, conditions: Conditions, generation?: number): void {
    const current = this.object(bucket, name, generation);
    checkConditions(conditions, current);
    this.objectsOf(bucket).delete(name);
  }

  /** Drops every object and every bucket (callers recreate the configured ones). */
  clear(): void {
    this.buckets.clear();
    this.objects.clear();
  }
}

function cleanMeta(meta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = {};
  for (const key of ['contentEncoding', 'cacheControl', 'contentDisposition', 'contentLanguage'] as const) {
    if (meta[key]) out[key] = meta[key];
  }
  if (meta.metadata && Object.keys(meta.metadata).length > 0) out.metadata = { ...meta.metadata };
  return out;
}

function stripMeta(o: ObjectRecord): ObjectRecord {
  const copy = { ...o };
  for (const key of ['contentEncoding', 'cacheControl', 'contentDisposition', 'contentLanguage', 'metadata'] as const) {
    delete copy[key];
  }
  return copy;
}
