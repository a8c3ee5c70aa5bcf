import { backendInfoTask, testErrorTask, testSleepTask } from './builtin';
import { DIAGNOSTIC_TASK_IDS } from './contracts/builtin';
import { recordingInfoTask, sortingInfoTask, timeseriesSegmentTask } from './recordingTasks';
import type { TaskDefinition } from './types';
import { averageWaveformTask } from './views/averageWaveform';
import { individualClusterFeaturesTask, pairClusterFeaturesTask } from './views/clusterFeatures';
import { bestMatchingUnitsTask, sortingAgreementTask } from './views/comparison';
import { correlogramMatrixTask, correlogramTask } from './views/correlograms';
import { featureSpaceTask } from './views/featureSpace';
import { rasterTask } from './views/raster';
import { spikeAmplitudesTask } from './views/spikeAmplitudes';
import { firingRateTask, isiHistogramTask } from './views/spikeTrainHistograms';
import { templateSimilarityTask } from './views/templateSimilarity';
import { unitMetricsTask } from './views/unitMetrics';
import { firingDataTask, isiViolationRatesTask, mergeGroupSummaryTask, peakChannelsTask, unitSnrsTask, unitsSummaryTask } from './views/unitsTable';

/**
 * Which tasks a deployment runs. The diagnostic tasks (`test_sleep` holds a worker for up to a minute,
 * `test_error` writes the caller's text into the public bucket) exist only where the deployment turns
 * them on (`SORTINGVIEW_DIAGNOSTIC_TASKS=1`: the local stack and the tests); elsewhere they are unknown.
 */
export interface CatalogOptions {
  diagnosticTasks?: boolean;
}

/**
 * Every task the worker runs, by function id: each contract of contracts/index.ts with its `run`
 * (catalog.test.ts checks that the two lists agree). The API accepts only these ids, with kwargs that
 * pass the task's schema. Bumping an id's version suffix is how its cached results are invalidated.
 */
const viewTasks: TaskDefinition[] = [
  recordingInfoTask,
  sortingInfoTask,
  timeseriesSegmentTask,
  firingDataTask,
  isiViolationRatesTask,
  peakChannelsTask,
  unitSnrsTask,
  unitMetricsTask,
  unitsSummaryTask,
  mergeGroupSummaryTask,
  averageWaveformTask,
  correlogramTask,
  correlogramMatrixTask,
  individualClusterFeaturesTask,
  pairClusterFeaturesTask,
  featureSpaceTask,
  spikeAmplitudesTask,
  bestMatchingUnitsTask,
  sortingAgreementTask,
  templateSimilarityTask,
  rasterTask,
  isiHistogramTask, firingRateTask,
];

function catalog(opts: CatalogOptions): Map<string, TaskDefinition> {
  const ids = (): string[] => [...byId.keys()].sort();
  const definitions = [backendInfoTask(ids), ...(opts.diagnosticTasks ? [testSleepTask, testErrorTask] : []), ...viewTasks];
  const byId = new Map(definitions.map((d) => [d.functionId, d]));
  return byId;
}

const withoutDiagnostics = catalog({});
const withDiagnostics = catalog({ diagnosticTasks: true });
const pick = (opts: CatalogOptions) => (opts.diagnosticTasks ? withDiagnostics : withoutDiagnostics);

export function taskFunctionIds(opts: CatalogOptions = {}): string[] {
  return [...pick(opts).keys()].sort();
}

export function findTask(functionId: string, opts: CatalogOptions = {}): TaskDefinition | undefined {
  return pick(opts).get(functionId);
}

export const isDiagnosticTask = (functionId: string): boolean => DIAGNOSTIC_TASK_IDS.includes(functionId);
