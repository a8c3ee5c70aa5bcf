import { boundsOf, type Bounds } from './probeView';

/**
 * The probe's shanks: recording_info.3's `channel_groups` (SpikeGLX: the shank of each channel,
 * from ~snsGeomMap or ~imroTbl; SpikeInterface: the `group` property; other formats: all 0). Groups
 * whose electrodes lie side by side without overlapping in x are shanks and are labelled so;
 * groups that overlap (not a physical split) are labelled "group".
 */
export interface Shank {
  group: number;
  label: string;
  channelIds: number[];
  bounds: Bounds;
}

export function shankGroups(channelIds: readonly number[], groups: readonly number[] | undefined, geom: readonly (readonly [number, number])[]): Shank[] {
  const n = Math.min(channelIds.length, geom.length);
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups && groups.length === channelIds.length && Number.isFinite(groups[i]) ? groups[i] : 0;
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  }
  const shanks = [...byGroup.entries()].sort((a, b) => a[0] - b[0]).map(([group, rows]) => ({
    group, channelIds: rows.map((i) => channelIds[i]), bounds: boundsOf(rows.map((i) => geom[i])), label: '',
  }));
  const byX = [...shanks].sort((a, b) => a.bounds.minX - b.bounds.minX);
  const separate = byX.every((s, i) => i === 0 || s.bounds.minX > byX[i - 1].bounds.maxX);
  for (const s of shanks) s.label = `${separate ? 'shank' : 'group'} ${s.group}`;
  return shanks;
}

/** channel id → its shank's group. */
export function shankOfChannel(shanks: readonly Shank[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of shanks) for (const c of s.channelIds) m.set(c, s.group);
  return m;
}
