import { z } from 'zod';
import { SORTINGVIEW_VERSION } from '../version';
import { noRelayCost } from './cost';
import { TaskError, type TaskDefinition } from './types';

/** A query: what this backend runs (the tasks this deployment enabled). Answered fresh each time (kind `query`). */
export const getBackendInfo = (taskFunctionIds: () => string[]): TaskDefinition<Record<string, never>> => ({
  functionId: 'sortingview.get_backend_info.1',
  kind: 'query',
  relayCost: noRelayCost,
  kwargs: z.object({}).strict(),
  run: async () => ({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds() }),
});

/** Off unless the deployment turns them on (catalog.ts CatalogOptions). */
export const DIAGNOSTIC_TASK_IDS = ['sortingview.test_sleep.1', 'sortingview.test_error.1'];

/** Sleeps, then answers: exercises queued/running, dedup of in-flight tasks and the cache (kind `pure`). */
export const MAX_TEST_SLEEP_SECONDS = 60;
export const testSleep: TaskDefinition<{ seconds: number }> = {
  functionId: 'sortingview.test_sleep.1',
  kind: 'pure',
  relayCost: noRelayCost,
  kwargs: z.object({ seconds: z.number().min(0).max(MAX_TEST_SLEEP_SECONDS) }).strict(),
  run: async ({ seconds }, ctx) => {
    await ctx.sleep(seconds * 1000);
    return { sleptSeconds: seconds };
  },
};

/** Fails with the given message: exercises the `error` status end to end (kind `query`: never cached). */
export const testError: TaskDefinition<{ message: string }> = {
  functionId: 'sortingview.test_error.1',
  kind: 'query',
  relayCost: noRelayCost,
  kwargs: z.object({ message: z.string().max(1000) }).strict(),
  run: async ({ message }) => {
    throw new TaskError(message);
  },
};
