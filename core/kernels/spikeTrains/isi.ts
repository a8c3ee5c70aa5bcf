/**
 * ISI violation rate as `spikemetrics.metrics.isi_violations` (Hill et al. 2011, J Neurosci 31:8699;
 * Steinmetz's sortingQuality, converted by D. Denman), called by the 2021 task
 * `get_isi_violation_rates.1 {sorting_object, recording_object, configuration}` → `{uid: rate}`.
 *
 *   (optional) if minIsi > 0: drop spike i+1 wherever isi_i <= minIsi (all at once, from the
 *              original ISIs, like `np.delete(train, where(diff <= min_isi) + 1)`)
 *   N  = number of spikes kept,  nv = #{ISIs < isiThreshold}   (strictly less)
 *   fpRate = (nv / (2 N (isiThreshold - minIsi))) / (N / duration) = nv·duration / (2 N² (thr - minIsi))
 *
 * 2021 passed everything in frames: train in frames, duration = num_frames, threshold =
 * isi_threshold_msec / 1000 * samplerate (that exact expression; at 30 kHz 2.5 ms is 75 frames, so
 * an ISI of exactly 75 frames is not a violation). The ratio is unit-free. We evaluate the same
 * operations in the same order, so results match numpy bit for bit.
 *
 * Edge cases: 1 spike → 0 (no ISIs). 0 spikes → NaN (0/0; 2021 raised ZeroDivisionError, which
 * failed the whole task); `isiViolationRates` reports it as null so the result stays valid JSON.
 * duration <= 0 or threshold <= minIsi → SpikeTrainInputError (2021: division by zero).
 * Unsorted trains are sorted first (as `get_isi_violation_rates` did from version 0.1.2 on).
 */
import { SpikeTrainInputError, sortedTrain } from './trains';
import type { SortingSpikeTrains } from './trains';

export interface IsiViolationsResult {
  /** Contamination rate relative to the unit's rate; NaN when the unit has no spikes. */
  fpRate: number;
  numViolations: number;
  /** Spikes kept after the minIsi de-duplication. */
  numSpikes: number;
}

export interface IsiViolationsParams {
  durationFrames: number;
  isiThresholdFrames: number;
  /** Default 0: keep every spike. */
  minIsiFrames?: number;
}

export function isiViolations(spikeFrames: Float64Array, p: IsiViolationsParams): IsiViolationsResult {
  const { durationFrames, isiThresholdFrames, minIsiFrames = 0 } = p;
  if (!(durationFrames > 0)) throw new SpikeTrainInputError(`isiViolations: duration must be positive, got ${durationFrames} frames (is the recording empty?)`);
  if (!(isiThresholdFrames > minIsiFrames)) throw new SpikeTrainInputError(`isiViolations: the ISI threshold (${isiThresholdFrames} frames) must exceed min_isi (${minIsiFrames} frames)`);
  const train = sortedTrain(spikeFrames);
  let numSpikes = train.length;
  let numViolations = 0;
  let prevKept = NaN;
  for (let i = 0; i < train.length; i++) {
    if (i > 0) {
      // A spike is dropped when its ISI to the previous spike *in the original train* is <= minIsi.
      if (minIsiFrames > 0 && train[i] - train[i - 1] <= minIsiFrames) { numSpikes--; continue; }
      if (train[i] - prevKept < isiThresholdFrames) numViolations++;
    }
    prevKept = train[i];
  }
  const violationTime = 2 * numSpikes * (isiThresholdFrames - minIsiFrames);
  const totalRate = numSpikes / durationFrames;
  const violationRate = numViolations / violationTime;
  return { fpRate: violationRate / totalRate, numViolations, numSpikes };
}

export interface IsiViolationRatesArgs {
  spikeTrains: SortingSpikeTrains;
  numFrames: number;
  sampleRateHz: number;
  /** configuration.isi_threshold_msec, default 2.5. */
  isiThresholdMsec?: number;
  /** Default 0 (2021 never set it). */
  minIsiMsec?: number;
  /** configuration.unit_ids; default every unit of the sorting. */
  unitIds?: readonly number[];
}

/** `get_isi_violation_rates.1` result: `{String(unitId): fpRate | null}` (null: unit has no spikes). */
export function isiViolationRates(args: IsiViolationRatesArgs): Record<string, number | null> {
  const { spikeTrains, numFrames, sampleRateHz, isiThresholdMsec = 2.5, minIsiMsec = 0 } = args;
  const isiThresholdFrames = isiThresholdMsec / 1000 * sampleRateHz;
  const minIsiFrames = minIsiMsec / 1000 * sampleRateHz;
  const out: Record<string, number | null> = {};
  for (const u of args.unitIds ?? [...spikeTrains.keys()]) {
    const t = spikeTrains.get(u);
    if (!t) throw new SpikeTrainInputError(`isiViolationRates: unit ${u} is not in the sorting`);
    const { fpRate } = isiViolations(t, { durationFrames: numFrames, isiThresholdFrames, minIsiFrames });
    out[String(u)] = Number.isNaN(fpRate) ? null : fpRate;
  }
  return out;
}
