import { getBackendInfo, testError, testSleep } from './builtin';
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

const byId = new Map(definitions.map((d) => [d.functionId, d]));

export function taskFunctionIds(): string[] {
  return [...byId.keys()].sort();
}

export function findTask(functionId: string): TaskDefinition | undefined {
  return byId.get(functionId);
}
