import { DIAGNOSTIC_TASK_IDS, getBackendInfo, testError, testSleep } from './builtin';
import { recordingInfo, sortingInfo, timeseriesSegment } from './recordingTasks';
import type { TaskDefinition } from './types';
import { fetchAverageWaveform } from './views/averageWaveform';
import { individualClusterFeaturesTask, pairClusterFeaturesTask } from './views/clusterFeatures';
import { getBestMatchingUnits } from './views/comparison';
import { fetchCorrelogramMatrix, fetchCorrelogramPlotData } from './views/correlograms';
import { fetchRaster } from './views/raster';
import { fetchSpikeAmplitudes } from './views/spikeAmplitudes';
import { templateSimilarityTask } from './views/templateSimilarity';
import { fetchUnitMetrics } from './views/unitMetrics';
import { getFiringData, getIsiViolationRates, getPeakChannels, getUnitSnrs, unitsSummary } from './views/unitsTable';

/**
 * Which tasks a deployment runs. The diagnostic tasks (`test_sleep` holds a worker for up to a minute,
 * `test_error` writes the caller's text into the public bucket) exist only where the deployment turns
 * them on (`SORTINGVIEW_DIAGNOSTIC_TASKS=1`: the local stack and the tests); elsewhere they are unknown.
 */
export interface CatalogOptions {
  diagnosticTasks?: boolean;
}

/**
 * Every task the worker runs, by function id. The API accepts only these ids, with kwargs that pass
 * the task's schema. Bumping an id's version suffix is how its cached results are invalidated.
 */
const viewDefinitions: TaskDefinition[] = [
  recordingInfo,
  sortingInfo,
  timeseriesSegment,
  getFiringData,
  getIsiViolationRates,
  getPeakChannels,
  getUnitSnrs,
  fetchUnitMetrics,
  unitsSummary,
  fetchAverageWaveform,
  fetchCorrelogramPlotData,
  fetchCorrelogramMatrix,
  individualClusterFeaturesTask,
  pairClusterFeaturesTask,
  fetchSpikeAmplitudes,
  getBestMatchingUnits,
  templateSimilarityTask,
  fetchRaster,
];

function catalog(opts: CatalogOptions): Map<string, TaskDefinition> {
  const ids = (): string[] => [...byId.keys()].sort();
  const definitions = [getBackendInfo(ids), ...(opts.diagnosticTasks ? [testSleep, testError] : []), ...viewDefinitions];
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
