import { SORTINGVIEW_VERSION } from '../version';
import { backendInfoContract, testErrorContract, testSleepContract } from './contracts/builtin';
import { implement } from './types';
import { TaskError } from '../taskError';

/** What this backend runs: the tasks this deployment enabled (contracts/builtin.ts). */
export const backendInfoTask = (taskFunctionIds: () => string[]) =>
  implement(backendInfoContract, async () => ({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds() }));

/** The diagnostic tasks: off unless the deployment turns them on (catalog.ts CatalogOptions). */
export const testSleepTask = implement(testSleepContract, async ({ seconds }, ctx) => {
  await ctx.sleep(seconds * 1000);
  return { sleptSeconds: seconds };
});

export const testErrorTask = implement(testErrorContract, async ({ message }) => {
  throw new TaskError(message);
});
