/**
 * What an axis of the feature view shows (phy's FeatureView dimensions): a channel's principal
 * component ("ch 12 · PC1") or the spike's time. A choice is kept as a string key (a <select>'s
 * value): `time` or `ch<channel id>:pc<1-based PC>`.
 */
export type AxisChoice = { kind: 'time' } | { kind: 'feature'; channelId: number; pc: number };

/** The parts of fetch_feature_space.1's result an axis reads. */
export interface FeatureData {
  channelIds: ArrayLike<number>;
  /** `[N][C][P]` row-major. */
  features: ArrayLike<number>;
  numPcs: number;
  timepoints: ArrayLike<number>;
  explainedVarianceRatio: ArrayLike<number>;
}

export const TIME_KEY = 'time';

export function axisKey(a: AxisChoice): string {
  return a.kind === 'time' ? TIME_KEY : `ch${a.channelId}:pc${a.pc}`;
}

/** The choice of a key, or null when it names no channel or PC of `d`. */
export function parseAxisKey(key: string, d: Pick<FeatureData, 'channelIds' | 'numPcs'>): AxisChoice | null {
  if (key === TIME_KEY) return { kind: 'time' };
  const m = /^ch(-?\d+):pc(\d+)$/.exec(key);
  if (!m) return null;
  const channelId = Number(m[1]);
  const pc = Number(m[2]);
  if (!Array.from(d.channelIds).includes(channelId) || pc < 1 || pc > d.numPcs) return null;
  return { kind: 'feature', channelId, pc };
}

/** Every choice, as the selectors list them: time, then each channel's PCs in the result's channel order. */
export function axisOptions(d: Pick<FeatureData, 'channelIds' | 'numPcs' | 'explainedVarianceRatio'>): { key: string; label: string }[] {
  const out = [{ key: TIME_KEY, label: axisLabel({ kind: 'time' }, d) }];
  for (const channelId of Array.from(d.channelIds)) {
    for (let pc = 1; pc <= d.numPcs; pc++) out.push({ key: axisKey({ kind: 'feature', channelId, pc }), label: axisLabel({ kind: 'feature', channelId, pc }, d) });
  }
  return out;
}

/** "time (s)", or "ch 12 · PC1 (64 % var.)" with the PC's share of the waveforms' variance. */
export function axisLabel(a: AxisChoice, d: Pick<FeatureData, 'explainedVarianceRatio'>): string {
  if (a.kind === 'time') return 'time (s)';
  const r = d.explainedVarianceRatio[a.pc - 1];
  const pct = r === undefined || !Number.isFinite(r) ? '' : ` (${(100 * r).toFixed(r >= 0.1 ? 0 : 1)} % var.)`;
  return `ch ${a.channelId} · PC${a.pc}${pct}`;
}

/**
 * phy's default dimensions: the first channel's PC1 against the second channel's PC1 (the task puts
 * the selected units' peak channels first, so for two units: each one's peak channel); with one
 * channel, its PC1 against its PC2.
 */
export function defaultAxes(d: Pick<FeatureData, 'channelIds' | 'numPcs'>): { x: AxisChoice; y: AxisChoice } {
  const ids = Array.from(d.channelIds);
  if (ids.length === 0) return { x: { kind: 'time' }, y: { kind: 'time' } };
  if (ids.length === 1) return { x: { kind: 'feature', channelId: ids[0], pc: 1 }, y: d.numPcs > 1 ? { kind: 'feature', channelId: ids[0], pc: 2 } : { kind: 'time' } };
  return { x: { kind: 'feature', channelId: ids[0], pc: 1 }, y: { kind: 'feature', channelId: ids[1], pc: 1 } };
}

/** The value of every spike on an axis (time in seconds at `sampleRateHz`). */
export function axisValues(a: AxisChoice, d: FeatureData, sampleRateHz: number): Float64Array {
  const N = d.timepoints.length;
  if (a.kind === 'time') return Float64Array.from(d.timepoints, (t) => t / sampleRateHz);
  const c = Array.from(d.channelIds).indexOf(a.channelId);
  if (c < 0 || a.pc < 1 || a.pc > d.numPcs) throw new RangeError(`no ${axisKey(a)} in the features`);
  const C = d.channelIds.length;
  const P = d.numPcs;
  const out = new Float64Array(N);
  for (let s = 0; s < N; s++) out[s] = d.features[(s * C + c) * P + (a.pc - 1)];
  return out;
}

/** A short axis name for small plots: "ch 12 PC1", "time". */
export function shortAxisLabel(a: AxisChoice): string {
  return a.kind === 'time' ? 'time' : `ch ${a.channelId} PC${a.pc}`;
}

/**
 * phy's default FeatureView grid: with dims 0A, 1A, 0B, 1B (channel index 0 or 1, PC A or B), the
 * cell in row i and column j plots x = dims[j] against y = dims[i], and the diagonal plots time
 * against dims[i] (phy's `_get_default_grid`: "time,0A 1A,0A 0B,0A 1B,0A / 0A,1A time,1A …").
 * With one channel the dims are its PC1, PC2, PC3 (3 × 3).
 */
export function phyGrid(d: Pick<FeatureData, 'channelIds' | 'numPcs'>): { x: AxisChoice; y: AxisChoice }[][] {
  const ids = Array.from(d.channelIds);
  if (!ids.length || d.numPcs < 1) return [];
  const f = (c: number, pc: number): AxisChoice => ({ kind: 'feature', channelId: ids[c], pc });
  const dims = ids.length >= 2
    ? (d.numPcs >= 2 ? [f(0, 1), f(1, 1), f(0, 2), f(1, 2)] : [f(0, 1), f(1, 1)])
    : Array.from({ length: Math.min(3, d.numPcs) }, (_, j) => f(0, j + 1));
  return dims.map((y, i) => dims.map((x, j) => ({ x: i === j ? { kind: 'time' } : x, y })));
}
