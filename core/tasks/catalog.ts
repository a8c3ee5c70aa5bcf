import { getBackendInfo, testError, testSleep } from './builtin';
import { recordingInfo, sortingInfo, timeseriesSegment } from './recordingTasks';
import type { TaskDefinition } from './types';

/**
 * Every task the worker runs, by function id. The API accepts only these ids, with kwargs that pass
 * the task's schema. Bumping an id's version suffix is how its cached results are invalidated.
 */
const definitions: TaskDefinition[] = [
  getBackendInfo(() => taskFunctionIds()),
  testSleep,
  testError,
  recordingInfo,
  sortingInfo,
  timeseriesSegment,
];

const byId = new Map(definitions.map((d) => [d.functionId, d]));

export function taskFunctionIds(): string[] {
  return [...byId.keys()].sort();
}

export function findTask(functionId: string): TaskDefinition | undefined {
  return byId.get(functionId);
}
