import { noCorsProbe } from '../../core/client/httpPolicy';
import { runTask, TaskFailed, type TaskClientDeps } from '../../core/client/runTask';
import { decodeResult, taskHash, type ClientTaskStatus, type Kwargs } from '../../core/protocol';
import type { TaskRequest } from '../../core/tasks/contract';

/**
 * Every task the page asks for goes through one TaskClient: identical requests share one record
 * (deduplicated by task hash), a result already in the public bucket costs one GET and never reaches
 * the API, and at most `maxConcurrent` tasks are in flight (the rest wait in `pending`). Records are
 * immutable: each change replaces the record and notifies its subscribers, so React reads them with
 * useSyncExternalStore. Finished results stay in memory (bounded) for the life of the page.
 */

export type TaskRecordStatus = 'pending' | ClientTaskStatus;
/** Where a finished result came from: the bucket directly, the API's cache answer, or a computation. */
export type TaskSource = 'bucket' | 'api-cache' | 'computed';

export interface TaskRecord<R = unknown> {
  readonly hash: string;
  readonly functionId: string;
  readonly kwargs: Kwargs;
  readonly status: TaskRecordStatus;
  readonly requestedMs: number;
  readonly startedMs?: number;
  readonly endedMs?: number;
  readonly source?: TaskSource;
  /** Checked against the request's contract when it arrived (`TaskRequest.result`). */
  readonly result?: R;
  readonly error?: string;
  /** Bytes of the result's JSON, for the memory bound. */
  readonly sizeBytes?: number;
  /** The last time the server was busy: a retry follows `retryInSec` after `atMs` (deps.now()). */
  readonly busy?: { readonly retryInSec: number; readonly atMs: number };
}

export interface TaskClientOptions {
  backend: { label: string; apiUrl: string };
  /** Public URL of a result, given its hash (the bucket layout is in core/protocol/paths). */
  resultUrl(hash: string): string;
  deps: TaskClientDeps;
  maxConcurrent?: number;
  timeoutMs?: number;
  /** Finished results kept in memory (approximate JSON bytes); least recently used go first. */
  maxCachedBytes?: number;
}

/**
 * Tasks in flight per page. An in-flight task mostly waits (one POST, then a status GET now and
 * then), so this bounds the work a page queues, not its connections. With 6, a first view's 30
 * waveforms went out in batches as others finished (the first-view benchmark: drawn after 15.4–16.7 s,
 * 14.1 s with 32); 32 lets a grid's cells all go at once.
 */
export const DEFAULT_MAX_CONCURRENT = 32;

export const isDone = (r: TaskRecord | undefined): boolean => !!r && (r.status === 'finished' || r.status === 'error');

/** The result of a finished task, else null. */
export const finishedResult = <R>(r: TaskRecord<R> | undefined): R | null => (r?.status === 'finished' ? r.result ?? null : null);

export class TaskClient {
  private records = new Map<string, TaskRecord>();
  /** Each task's result guard, from the request that started it (one contract per function id). */
  private guards = new Map<string, TaskRequest['result']>();
  private listeners = new Map<string, Set<() => void>>();
  private anyListeners = new Set<() => void>();
  private queue: string[] = [];
  private running = 0;
  private cachedBytes = 0;
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;
  private readonly maxCachedBytes: number;

  constructor(private readonly opts: TaskClientOptions) {
    this.maxConcurrent = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.timeoutMs = opts.timeoutMs ?? 300_000;
    this.maxCachedBytes = opts.maxCachedBytes ?? 300 * 1024 * 1024;
  }

  get backendLabel(): string {
    return this.opts.backend.label;
  }

  static hashOf(spec: Pick<TaskRequest, 'functionId' | 'kwargs'>): string {
    return taskHash(spec.functionId, spec.kwargs);
  }

  /** The record of a task, starting it if it is new. */
  request<R>(spec: TaskRequest<R>): TaskRecord<R> {
    const hash = TaskClient.hashOf(spec);
    const existing = this.records.get(hash);
    if (existing) {
      // Touch: most recently used last.
      this.records.delete(hash);
      this.records.set(hash, existing);
      return existing as TaskRecord<R>;
    }
    const rec: TaskRecord<R> = { hash, functionId: spec.functionId, kwargs: spec.kwargs, status: 'pending', requestedMs: this.opts.deps.now() };
    this.guards.set(hash, spec.result);
    this.set(rec);
    this.queue.push(hash);
    this.pump();
    return rec;
  }

  get(hash: string): TaskRecord | undefined {
    return this.records.get(hash);
  }

  /** Every record, oldest request first. */
  all(): TaskRecord[] {
    return [...this.records.values()].sort((a, b) => a.requestedMs - b.requestedMs);
  }

  /** Forgets a failed task so that the next request runs it again. */
  retry(spec: TaskRequest): void {
    const hash = TaskClient.hashOf(spec);
    const rec = this.records.get(hash);
    if (rec && rec.status === 'error') {
      this.records.delete(hash);
      this.request(spec);
      this.notify(hash);
    }
  }

  subscribe(hash: string, fn: () => void): () => void {
    let set = this.listeners.get(hash);
    if (!set) this.listeners.set(hash, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size) this.listeners.delete(hash);
    };
  }

  /** Any record changed (the task monitor). */
  subscribeAll(fn: () => void): () => void {
    this.anyListeners.add(fn);
    return () => this.anyListeners.delete(fn);
  }

  private set(rec: TaskRecord): void {
    this.records.set(rec.hash, rec);
    this.notify(rec.hash);
  }

  private notify(hash: string): void {
    for (const fn of this.listeners.get(hash) ?? []) fn();
    for (const fn of this.anyListeners) fn();
  }

  private update(hash: string, patch: Partial<TaskRecord>): void {
    const rec = this.records.get(hash);
    if (rec) this.set({ ...rec, ...patch });
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length) {
      const hash = this.queue.shift()!;
      const rec = this.records.get(hash);
      if (!rec || rec.status !== 'pending') continue;
      this.running++;
      void this.execute(rec).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(rec: TaskRecord): Promise<void> {
    const { deps } = this.opts;
    const t0 = deps.now();
    this.update(rec.hash, { status: 'waiting', startedMs: t0 });
    try {
      // 1. The public bucket: a cached result costs this one GET.
      const cached = await this.readResult(rec.hash).catch(() => null);
      if (cached) {
        this.finish(rec.hash, cached, 'bucket');
        return;
      }
      // 2. The API: queue (or answer from its cache), then poll the status in the bucket. The page
      // runs in a browser, where a busy Cloud Run answers without CORS headers: only a probe tells
      // that from a server that cannot be reached (core/client/httpPolicy.ts).
      const browserDeps: TaskClientDeps = { ...deps, probe: deps.probe ?? noCorsProbe(deps.fetch) };
      let first = true;
      let apiCached = false;
      const { result } = await runTask({
        apiUrl: this.opts.backend.apiUrl, backend: this.opts.backend.label, functionId: rec.functionId, kwargs: rec.kwargs,
        timeoutMs: this.timeoutMs,
        onStatus: (status) => {
          if (status === 'waiting') return;
          if (first && status === 'finished') apiCached = true;
          first = false;
          // 'finished' is announced before the result is read: the record finishes with its result below.
          if (status !== 'finished') this.update(rec.hash, { status });
        },
        onWait: ({ retryInSec }) => this.update(rec.hash, { busy: { retryInSec, atMs: deps.now() } }),
      }, browserDeps);
      this.finish(rec.hash, { value: decodeResult(result), sizeBytes: approxBytes(result) }, apiCached ? 'api-cache' : 'computed');
    } catch (err) {
      const message = err instanceof TaskFailed || err instanceof Error ? err.message : String(err);
      this.update(rec.hash, { status: 'error', error: message, endedMs: deps.now() });
    }
  }

  private async readResult(hash: string): Promise<{ value: unknown; sizeBytes: number } | null> {
    const res = await this.opts.deps.fetch(this.opts.resultUrl(hash));
    if (!res.ok) return null;
    const text = await res.text();
    return { value: decodeResult(JSON.parse(text)), sizeBytes: text.length };
  }

  private finish(hash: string, r: { value: unknown; sizeBytes: number }, source: TaskSource): void {
    const checked = this.guards.get(hash)?.safeParse(r.value);
    if (checked && !checked.success) {
      const rec = this.records.get(hash);
      const where = checked.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || 'the result'}: ${i.message}`).join('; ');
      this.update(hash, {
        status: 'error', endedMs: this.opts.deps.now(),
        error: `The result of ${rec?.functionId ?? 'this task'} is not what this page expects (${where}). Reload the page; if this persists, the web app and the backend run different versions of sortingview.`,
      });
      return;
    }
    this.update(hash, { status: 'finished', result: checked ? checked.data : r.value, source, sizeBytes: r.sizeBytes, endedMs: this.opts.deps.now() });
    this.cachedBytes += r.sizeBytes;
    this.evict();
  }

  /** Drops the least recently used finished results that nobody watches, above the memory bound. */
  private evict(): void {
    if (this.cachedBytes <= this.maxCachedBytes) return;
    for (const [hash, rec] of this.records) {
      if (this.cachedBytes <= this.maxCachedBytes) break;
      if (rec.status !== 'finished' || this.listeners.has(hash)) continue;
      this.records.delete(hash);
      this.guards.delete(hash);
      this.cachedBytes -= rec.sizeBytes ?? 0;
    }
    for (const fn of this.anyListeners) fn();
  }
}

function approxBytes(v: unknown): number {
  try {
    return JSON.stringify(v).length;
  } catch {
    return 0;
  }
}
