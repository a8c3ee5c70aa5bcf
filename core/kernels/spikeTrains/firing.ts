/**
 * The 2021 task `get_firing_data.1` → `{uid: {count, rate}}` (units table "Num. events" and
 * "Firing rate (Hz)"): count = number of spikes, rate = count / (num_frames / sampling_frequency).
 *
 * Quirk pinned: `rate` is a string with exactly 2 decimals, made by
 * `f"{Decimal(t / elapsed).quantize(Decimal('.01'))}"`. Decimal(float) is the exact binary value
 * and quantize rounds half-to-even, so it matches JS `toFixed(2)` (also exact, but half-up) except
 * on exact ties. A double is exactly halfway between two hundredths only when it is an odd
 * multiple of 1/8 (x = (2n+1)/200 must be dyadic), e.g. 0.125 → "0.12" (toFixed gives "0.13").
 * Zero duration throws (2021: ZeroDivisionError).
 */
import { SpikeTrainInputError } from './trains';
import type { SortingSpikeTrains } from './trains';

export interface FiringData {
  count: number;
  /** Hz, 2 decimals, as a string (2021 wire format). */
  rate: string;
}

/** Python `str(Decimal(x).quantize(Decimal('.01')))` for finite x >= 0 below 1e21. */
export function formatRate2021(x: number): string {
  if (!Number.isFinite(x) || x < 0 || x >= 1e21) throw new SpikeTrainInputError(`formatRate2021: expected a finite rate in [0, 1e21), got ${x}`);
  const eighths = x * 8; // exact: scaling by a power of two
  if (Number.isInteger(eighths) && eighths % 2 === 1) {
    // An exact tie between two hundredths: round half to even. Work on the fraction (j/8, so
    // frac * 100 = 12.5 j is exact); x * 100 itself may round for large x.
    const whole = Math.floor(x);
    const lower = Math.floor((x - whole) * 100);
    const n = lower % 2 === 0 ? lower : lower + 1; // at most 88: no carry into the integer part
    return `${whole}.${String(n).padStart(2, '0')}`;
  }
  return x.toFixed(2);
}

export interface FiringDataArgs {
  spikeTrains: SortingSpikeTrains;
  numFrames: number;
  sampleRateHz: number;
}

export function firingData(args: FiringDataArgs): Record<string, FiringData> {
  const { spikeTrains, numFrames, sampleRateHz } = args;
  const elapsedSec = numFrames / sampleRateHz;
  if (!(elapsedSec > 0) || !Number.isFinite(elapsedSec)) {
    throw new SpikeTrainInputError(`firingData: recording duration must be positive, got ${numFrames} frames at ${sampleRateHz} Hz`);
  }
  const out: Record<string, FiringData> = {};
  for (const [u, t] of spikeTrains) out[String(u)] = { count: t.length, rate: formatRate2021(t.length / elapsedSec) };
  return out;
}
