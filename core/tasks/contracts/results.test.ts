import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult } from '../../protocol';
import { findTask, taskFunctionIds } from '../catalog';
import type { TaskRequest } from '../contract';
import { METRICS_URI, REC_FILTERED_URI, REC_URI, runRounds, SORTING_B_URI, SORTING_URI, testDataset } from '../views/testing/fakeRelay';
import { averageWaveformRequest } from './averageWaveform';
import { individualClusterFeaturesRequest, pairClusterFeaturesRequest } from './clusterFeatures';
import { bestMatchingUnitsRequest, sortingAgreementRequest } from './comparison';
import { autocorrelogramRequest, correlogramMatrixRequest } from './correlograms';
import { featureSpaceRequest } from './featureSpace';
import type { SortingRef } from './kwargs';
import { rasterRequest } from './raster';
import { recordingInfoRequest, sortingInfoRequest, timeseriesSegmentRequest } from './recording';
import { spikeAmplitudesRequest } from './spikeAmplitudes';
import { firingRateRequest, isiHistogramRequest } from './spikeTrainHistograms';
import { templateSimilarityRequest } from './templateSimilarity';
import { unitMetricsRequest } from './unitMetrics';
import { mergeGroupSummaryRequest, unitsSummaryRequest, unitsSummaryContract } from './unitsTable';

/**
 * What the worker computes passes the guard the browser checks it with: every task of the catalog
 * runs on the fake relay's data, its result goes through the wire encoding and back, and its
 * contract's result schema accepts it. (Types link `run` to the contract at compile time; this checks
 * the parts types cannot: ndarray dtypes and ranks, record keys.)
 */
const ref: SortingRef = { recordingUri: REC_URI, sortingUri: SORTING_URI };
const filteredRef = { ...ref, recordingUri: REC_FILTERED_URI };
const requests = (): TaskRequest[] => [
  recordingInfoRequest(REC_URI), sortingInfoRequest(SORTING_URI),
  timeseriesSegmentRequest(REC_URI, { dsFactor: 1, segmentNum: 0, segmentSize: 1000 }),
  timeseriesSegmentRequest(REC_URI, { dsFactor: 3, segmentNum: 1, segmentSize: 1000 }),
  unitsSummaryRequest(ref), unitsSummaryRequest(filteredRef), mergeGroupSummaryRequest(ref, [2, 1]),
  ...['get_firing_data.1', 'get_isi_violation_rates.1', 'get_peak_channels.1', 'get_unit_snrs.1'].map((functionId) => ({ ...unitsSummaryRequest(ref), functionId, result: findTask(functionId)!.result })),
  unitMetricsRequest(METRICS_URI),
  averageWaveformRequest(ref, 1), averageWaveformRequest(ref, [1, 2]), autocorrelogramRequest(ref, 6), correlogramMatrixRequest(ref, [1, [2, 6]]),
  individualClusterFeaturesRequest(ref, 6), pairClusterFeaturesRequest(ref, 1, 2), spikeAmplitudesRequest(ref, 1),
  featureSpaceRequest(ref, [1, [2, 6], 3]),
  bestMatchingUnitsRequest(SORTING_URI, SORTING_B_URI, 'A'), sortingAgreementRequest(SORTING_URI, SORTING_B_URI), templateSimilarityRequest(ref), rasterRequest(ref, 1.5, [1, [2, 6]]),
  isiHistogramRequest(ref, [1, 2]), firingRateRequest(ref, 6, 1.5),
];

describe('every task\'s result passes its contract\'s guard', () => {
  it('on real runs of each catalogued task', async () => {
    const { relay } = testDataset();
    relay.files.set(METRICS_URI, new TextEncoder().encode(JSON.stringify([{ name: 'm', label: 'M', data: { 1: 0.5, 2: null } }])));
    const rs = requests();
    expect(new Set(rs.map((r) => r.functionId))).toEqual(new Set(taskFunctionIds().filter((id) => id !== 'sortingview.get_backend_info.1')));
    for (const r of rs) {
      const { result } = await runRounds(findTask(r.functionId)!, r.kwargs, relay);
      const onWire = decodeResult(JSON.parse(JSON.stringify(encodeResult(result))));
      const checked = r.result.safeParse(onWire);
      expect(checked.success, `${r.functionId}: ${checked.error?.message}`).toBe(true);
    }
  });

  it('and refuses a result of another shape (the guard can fail)', async () => {
    const { relay } = testDataset();
    const { result } = await runRounds(findTask(unitsSummaryContract.functionId)!, unitsSummaryRequest(ref).kwargs, relay);
    const wire = JSON.parse(JSON.stringify(encodeResult(result)));
    expect(unitsSummaryContract.result.safeParse(decodeResult(wire)).success).toBe(true);
    wire.units['1'].snr = 'high';
    expect(unitsSummaryContract.result.safeParse(decodeResult(wire)).success).toBe(false);
  });
});
