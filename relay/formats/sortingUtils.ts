import { FormatError, RequestError, type SortingReader } from './types';

/**
 * A SortingReader over per-unit trains, each sorted ascending here (sources do not promise order).
 * Unit ids ascend.
 */
export function sortingFromTrains(trains: Map<number, Float64Array>, sampleRateHz: number, name: string,
  initialLabels?: Record<number, string[]>): SortingReader {
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) throw new FormatError(name, `sampling rate ${sampleRateHz} is not a positive number`);
  const sorted = new Map<number, Float64Array>();
  for (const [id, t] of trains) {
    let ordered = true;
    for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) { ordered = false; break; }
    sorted.set(id, ordered ? t : Float64Array.from(t).sort());
  }
  const unitIds = [...sorted.keys()].sort((a, b) => a - b);
  const reader: SortingReader = {
    sampleRateHz,
    unitIds,
    spikeTrain(unitId) {
      const t = sorted.get(unitId);
      if (!t) throw new RequestError(`unit ${unitId} is not in sorting ${name}`);
      return t;
    },
  };
  if (initialLabels && Object.keys(initialLabels).length > 0) reader.initialLabels = initialLabels;
  return reader;
}

/**
 * Groups spike times by label. Times must be finite and ≥ 0 (frames), labels integers; anything
 * else is a FormatError naming `name` (a corrupt file, never a silently wrong train).
 */
export function sortingFromLabels(times: ArrayLike<number>, labels: ArrayLike<number>, sampleRateHz: number, name: string,
  initialLabels?: Record<number, string[]>): SortingReader {
  if (times.length !== labels.length) throw new FormatError(name, `has ${times.length} spike times but ${labels.length} labels`);
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isSafeInteger(l)) throw new FormatError(name, `label ${l} (spike ${i}) is not an integer unit id`);
    const t = times[i];
    if (!Number.isFinite(t) || t < 0) throw new FormatError(name, `spike ${i} has time ${t}, not a frame ≥ 0`);
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const trains = new Map<number, Float64Array>();
  const fill = new Map<number, number>();
  for (const [l, n] of counts) {
    trains.set(l, new Float64Array(n));
    fill.set(l, 0);
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    const k = fill.get(l)!;
    trains.get(l)![k] = times[i];
    fill.set(l, k + 1);
  }
  return sortingFromTrains(trains, sampleRateHz, name, initialLabels);
}
