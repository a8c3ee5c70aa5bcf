import { simplifyMergeGroups } from '../../core/reducers/curation';
import { FormatError, RequestError, type SortingReader } from './types';

/**
 * `curated {sorting, merge_groups}`: each merge group becomes one unit whose id is the smallest id of
 * the group (2021's CuratedSortingExtractor) and whose train is the sorted concatenation of the
 * members' trains (coincident spikes are kept, as 2021 did). A group naming a unit the sorting lacks
 * is an error. Labels of the members are united on the merged unit.
 */
export function curatedSorting(parent: SortingReader, mergeGroups: number[][], name = 'curated sorting'): SortingReader {
  const groups = simplifyMergeGroups(mergeGroups);
  const known = new Set(parent.unitIds);
  const memberOf = new Map<number, number[]>();
  for (const g of groups) {
    for (const u of g) {
      if (!known.has(u)) throw new FormatError(name, `merge group [${g.join(', ')}] names unit ${u}, which the sorting does not have`);
      memberOf.set(u, g);
    }
  }
  const unitIds = parent.unitIds.filter((u) => !memberOf.has(u) || memberOf.get(u)![0] === u);
  const merged = new Map<number, Float64Array>();
  const trainOf = (u: number): Float64Array => {
    const g = memberOf.get(u);
    if (!g) return parent.spikeTrain(u);
    let t = merged.get(u);
    if (!t) {
      const parts = g.map((m) => parent.spikeTrain(m));
      t = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { t.set(p, o); o += p.length; }
      t.sort();
      merged.set(u, t);
    }
    return t;
  };
  const reader: SortingReader = {
    sampleRateHz: parent.sampleRateHz,
    unitIds,
    spikeTrain(u) {
      if (!unitIds.includes(u)) {
        const g = memberOf.get(u);
        throw new RequestError(g ? `unit ${u} is merged into unit ${g[0]} in ${name}` : `unit ${u} is not in ${name}`);
      }
      return trainOf(u);
    },
  };
  if (parent.initialLabels) {
    const labels: Record<number, string[]> = {};
    for (const [k, v] of Object.entries(parent.initialLabels)) {
      const target = memberOf.get(Number(k))?.[0] ?? Number(k);
      labels[target] = [...new Set([...(labels[target] ?? []), ...v])].sort();
    }
    reader.initialLabels = labels;
  }
  return reader;
}

/**
 * `subsorting {sorting, start_frame?, end_frame?, unit_ids?}` (2021-10): the units listed (all by
 * default) and the spikes in [start_frame, end_frame), shifted so start_frame is frame 0, as
 * spikeextractors' SubSortingExtractor did.
 */
export function subsorting(parent: SortingReader, d: { start_frame?: number; end_frame?: number; unit_ids?: number[] }, name = 'subsorting'): SortingReader {
  const ids = d.unit_ids ? [...d.unit_ids].sort((a, b) => a - b) : parent.unitIds;
  const known = new Set(parent.unitIds);
  for (const u of ids) if (!known.has(u)) throw new FormatError(name, `unit_ids names unit ${u}, which the sorting does not have`);
  const start = d.start_frame ?? 0;
  const end = d.end_frame ?? Infinity;
  const cache = new Map<number, Float64Array>();
  const allowed = new Set(ids);
  return {
    sampleRateHz: parent.sampleRateHz,
    unitIds: ids,
    spikeTrain(u) {
      if (!allowed.has(u)) throw new RequestError(`unit ${u} is not in ${name}`);
      let t = cache.get(u);
      if (!t) {
        t = parent.spikeTrain(u).filter((f) => f >= start && f < end).map((f) => f - start);
        cache.set(u, t);
      }
      return t;
    },
    ...(parent.initialLabels ? { initialLabels: Object.fromEntries(Object.entries(parent.initialLabels).filter(([k]) => allowed.has(Number(k)))) } : {}),
  };
}
