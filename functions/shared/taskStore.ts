import type { Bucket } from '@google-cloud/storage';
import {
  backendConfigPath, backendConfigSchema, publicObjectUrl, taskResultPath, taskStatusPath, taskStatusObjectSchema,
  type BackendConfig, type TaskKind, type TaskStatusObject,
} from '../../core/protocol';
import { GZIP_RESULT_MIN_BYTES, resultCacheControl } from '../../core/tasks/lifecycle';
import { exists, readWithGeneration, writeObject } from './objects';

/** Task results, statuses and backend configs in the public bucket (DESIGN.md "Bucket layout"). */
export class TaskStore {
  constructor(private readonly bucket: Bucket, private readonly publicStorageUrl: string) {}

  resultUrl(label: string, hash: string): string {
    return publicObjectUrl(this.publicStorageUrl, this.bucket.name, taskResultPath(label, hash));
  }
  statusUrl(label: string, hash: string): string {
    return publicObjectUrl(this.publicStorageUrl, this.bucket.name, taskStatusPath(label, hash));
  }

  hasResult(label: string, hash: string): Promise<boolean> {
    return exists(this.bucket.file(taskResultPath(label, hash)));
  }

  /** A status that cannot be parsed is treated as absent (and will be overwritten), never as a crash. */
  async readStatus(label: string, hash: string): Promise<{ status: TaskStatusObject | null; generation: string | null }> {
    const got = await readWithGeneration(this.bucket.file(taskStatusPath(label, hash)));
    if (!got) return { status: null, generation: null };
    const parsed = taskStatusObjectSchema.safeParse(safeJson(got.bytes.toString('utf8')));
    return { status: parsed.success ? parsed.data : null, generation: got.generation };
  }

  /** Returns false when `ifGenerationMatch` failed: another request changed the status first. */
  writeStatus(label: string, hash: string, status: TaskStatusObject, ifGenerationMatch?: string | number): Promise<boolean> {
    return writeObject(this.bucket, taskStatusPath(label, hash), JSON.stringify(status), { cacheControl: 'no-store', ifGenerationMatch });
  }

  /**
   * Pure results are written once (`ifGenerationMatch: 0`): a redelivered message never rewrites one,
   * so a reader never sees it change. Query/action results are answers of the moment and are replaced.
   * Returns false when a pure result was already there.
   */
  writeResult(label: string, hash: string, kind: TaskKind, json: string): Promise<boolean> {
    return writeObject(this.bucket, taskResultPath(label, hash), json, {
      cacheControl: resultCacheControl(kind),
      ifGenerationMatch: kind === 'pure' ? 0 : undefined,
      gzipMinBytes: GZIP_RESULT_MIN_BYTES,
    });
  }

  async readBackendConfig(label: string): Promise<BackendConfig | null> {
    const got = await readWithGeneration(this.bucket.file(backendConfigPath(label)));
    if (!got) return null;
    const parsed = backendConfigSchema.safeParse(safeJson(got.bytes.toString('utf8')));
    return parsed.success ? parsed.data : null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
