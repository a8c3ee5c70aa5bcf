import { z } from 'zod';
import { noRelayCost } from '../cost';
import type { TaskContract } from '../contract';

/** A query: what this backend runs (the tasks this deployment enabled). Answered fresh each time (kind `query`). */
export const backendInfoContract: TaskContract<Record<string, never>, { version: string; taskFunctionIds: string[] }> = {
  functionId: 'sortingview.get_backend_info.1',
  kind: 'query',
  relayCost: noRelayCost,
  kwargs: z.object({}).strict(),
  result: z.object({ version: z.string(), taskFunctionIds: z.array(z.string()) }),
};

/** Off unless the deployment turns them on (catalog.ts CatalogOptions). */
export const MAX_TEST_SLEEP_SECONDS = 60;

/** Sleeps, then answers: exercises queued/running, dedup of in-flight tasks and the cache (kind `pure`). */
export const testSleepContract: TaskContract<{ seconds: number }, { sleptSeconds: number }> = {
  functionId: 'sortingview.test_sleep.1',
  kind: 'pure',
  relayCost: noRelayCost,
  kwargs: z.object({ seconds: z.number().min(0).max(MAX_TEST_SLEEP_SECONDS) }).strict(),
  result: z.object({ sleptSeconds: z.number() }),
};

/** Fails with the given message: exercises the `error` status end to end (kind `query`: never cached). */
export const testErrorContract: TaskContract<{ message: string }, never> = {
  functionId: 'sortingview.test_error.1',
  kind: 'query',
  relayCost: noRelayCost,
  kwargs: z.object({ message: z.string().max(1000) }).strict(),
  result: z.never(),
};

export const DIAGNOSTIC_TASK_IDS = [testSleepContract.functionId, testErrorContract.functionId];
