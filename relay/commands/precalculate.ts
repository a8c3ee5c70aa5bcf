import { SingleBar, Presets } from 'cli-progress';
import type { Storage } from '@google-cloud/storage';
import { busyText, type BusyWait } from '../../core/client/httpPolicy';
import { runTask, TaskFailed } from '../../core/client/runTask';
import { loadWorkspace, parseWorkspaceUri } from '../../core/feeds';
import { isBackendAlive, type ClientTaskStatus } from '../../core/protocol';
import type { TaskRequest } from '../../core/tasks/contract';
import type { SortingRef } from '../../core/tasks/contracts/kwargs';
import { recordingInfoRequest, sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { sortingPageRequests } from '../../core/tasks/contracts/sortingPage';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { CliError } from '../cliErrors';
import { readBackendConfig } from './task';
import { resolveTarget } from './workspaceContext';

export interface PrecalculateOptions {
  backend?: string;
  concurrency?: string;
  sorting?: string[];
}

/** At most one "server busy" line on stderr this often. */
const BUSY_NOTE_MS = 5000;

export interface PrecalculateSummary {
  tasks: number;
  cached: number;
  computed: number;
  failed: { functionId: string; message: string }[];
}

/**
 * `sortingview precalculate <workspaceUri>`: runs every task the sorting pages open with, with the
 * kwargs the GUI sends (the contracts' request builders, core/tasks/contracts, build both), so the first visit reads cached
 * results. A second run finds everything cached and computes nothing.
 */
export async function precalculate(workspaceUri: string, opts: PrecalculateOptions, deps: {
  env: NodeJS.ProcessEnv;
  storage: Storage;
  stderr: NodeJS.WriteStream;
}): Promise<PrecalculateSummary> {
  const target = resolveTarget({ backend: opts.backend }, deps.env);
  const backend = await readBackendConfig(deps.storage, target.backendUri);
  // Without its relay every task would wait for the whole timeout.
  if (!isBackendAlive(backend, Date.now())) {
    const minutes = Math.round((Date.now() - backend.timestamp) / 60_000);
    throw new CliError(`the relay of backend "${backend.label}" is not running (it last checked in ${minutes} min ago); start it with sortingview-start-backend --label ${backend.label}`);
  }
  const { state } = await loadWorkspace(gcsBlobStore(deps.storage.bucket(target.bucket)), parseWorkspaceUri(workspaceUri).feedId);
  const sortings = state.sortings.filter((s) => !opts.sorting?.length || opts.sorting.includes(s.sortingId));
  if (!sortings.length) throw new CliError(`No sortings to precalculate in ${workspaceUri}`);
  const concurrency = Math.max(1, Math.min(64, Number(opts.concurrency ?? 8)));
  const summary: PrecalculateSummary = { tasks: 0, cached: 0, computed: 0, failed: [] };
  const clientDeps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
  // Concurrent tasks meet a busy API together: one line per BUSY_NOTE_MS, not one per request.
  let lastBusyNote = -Infinity;
  const onWait = ({ retryInSec }: BusyWait) => {
    if (clientDeps.now() - lastBusyNote < BUSY_NOTE_MS) return;
    lastBusyNote = clientDeps.now();
    deps.stderr.write(`\n${busyText(retryInSec)}\n`);
  };

  const run = async (t: TaskRequest): Promise<unknown> => {
    const statuses: ClientTaskStatus[] = [];
    try {
      const { result } = await runTask({ apiUrl: backend.apiUrl, backend: backend.label, functionId: t.functionId, kwargs: t.kwargs, onStatus: (s) => statuses.push(s), onWait, timeoutMs: 15 * 60_000 }, clientDeps);
      // The API answers a cached result at once: 'waiting' then 'finished', nothing in between.
      if (statuses.length === 2 && statuses[1] === 'finished') summary.cached++;
      else summary.computed++;
      return result;
    } catch (err) {
      if (!(err instanceof TaskFailed)) throw err;
      summary.failed.push({ functionId: t.functionId, message: err.message });
      return null;
    } finally {
      summary.tasks++;
    }
  };

  for (const s of sortings) {
    const ref: SortingRef = { recordingUri: s.recordingPath, sortingUri: s.sortingPath, snippetLen: state.snippetLen };
    const [recInfo, sortInfo] = (await Promise.all([run(recordingInfoRequest(ref.recordingUri)), run(sortingInfoRequest(ref.sortingUri))])) as
      [{ num_frames: number; sampling_frequency: number } | null, { unit_ids: number[] } | null];
    if (!recInfo || !sortInfo) continue; // the failure is in the summary
    const tasks = sortingPageRequests(ref, sortInfo.unit_ids, { numFrames: recInfo.num_frames, sampleRateHz: recInfo.sampling_frequency }).slice(2);
    const bar = new SingleBar({ format: `${s.sortingId} {bar} {value}/{total} tasks | {eta_formatted} left`, stream: deps.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
    bar.start(tasks.length, 0);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
      while (next < tasks.length) {
        await run(tasks[next++]);
        bar.increment();
      }
    }));
    bar.stop();
  }
  return summary;
}
