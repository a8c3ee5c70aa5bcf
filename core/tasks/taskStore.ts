import type { BlobStore } from '../ports/blobStore';
import {
  backendConfigPath, backendConfigSchema, publicObjectUrl, taskResultPath, taskStatusPath, taskStatusObjectSchema,
  type BackendConfig, type TaskKind, type TaskStatusObject,
} from '../protocol';
import { GZIP_RESULT_MIN_BYTES, resultCacheControl } from './lifecycle';

/** Where the public bucket is read from by browsers, for the URLs the API answers with. */
export interface PublicBucket {
  name: string;
  publicStorageUrl: string;
}

/**
 * Task results, statuses and backend configs in the public bucket (DESIGN.md "Bucket layout"), on
 * the BlobStore port: Cloud Storage in the functions (adapters/gcs), memory in unit tests.
 */
export class TaskStore {
  constructor(private readonly blobs: BlobStore, private readonly bucket: PublicBucket) {}

  resultUrl(label: string, hash: string): string {
    return publicObjectUrl(this.bucket.publicStorageUrl, this.bucket.name, taskResultPath(label, hash));
  }
  statusUrl(label: string, hash: string): string {
    return publicObjectUrl(this.bucket.publicStorageUrl, this.bucket.name, taskStatusPath(label, hash));
  }

  hasResult(label: string, hash: string): Promise<boolean> {
    return this.blobs.exists(taskResultPath(label, hash));
  }

  /** A status that cannot be parsed is treated as absent (and will be overwritten), never as a crash. */
  async readStatus(label: string, hash: string): Promise<{ status: TaskStatusObject | null; generation: string | null }> {
    const got = await this.blobs.readVersioned(taskStatusPath(label, hash));
    if (!got) return { status: null, generation: null };
    const parsed = taskStatusObjectSchema.safeParse(safeJson(got.bytes));
    return { status: parsed.success ? parsed.data : null, generation: got.generation };
  }

  /** Returns false when `ifGenerationMatch` failed: another request changed the status first. */
  writeStatus(label: string, hash: string, status: TaskStatusObject, ifGenerationMatch?: string | number): Promise<boolean> {
    return this.blobs.write(taskStatusPath(label, hash), JSON.stringify(status), { contentType: 'application/json', cacheControl: 'no-store', ifGenerationMatch });
  }

  /**
   * Pure results are written once (`ifGenerationMatch: 0`): a redelivered message never rewrites one,
   * so a reader never sees it change. Query/action results are answers of the moment and are replaced.
   * Returns false when a pure result was already there.
   */
  writeResult(label: string, hash: string, kind: TaskKind, json: string): Promise<boolean> {
    return this.blobs.write(taskResultPath(label, hash), json, {
      contentType: 'application/json',
      cacheControl: resultCacheControl(kind),
      ifGenerationMatch: kind === 'pure' ? 0 : undefined,
      gzipMinBytes: GZIP_RESULT_MIN_BYTES,
    });
  }

  async readBackendConfig(label: string): Promise<BackendConfig | null> {
    const bytes = await this.blobs.read(backendConfigPath(label));
    if (!bytes) return null;
    const parsed = backendConfigSchema.safeParse(safeJson(bytes));
    return parsed.success ? parsed.data : null;
  }
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
