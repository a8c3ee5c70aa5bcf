/**
 * Where the probe map draws units: at the centre of mass of their mean waveform when it is known
 * (`locationOf`: the selected units', unitLocation.ts), else at their peak channel's electrode
 * (units_summary.1's `peak_channel`, the argmax peak-to-peak of the unit's mean snippet), the location
 * sortingview has for every unit. Units drawn at the same peak channel get an index there (`slot`),
 * so they are drawn side by side rather than on top of each other.
 */
export interface UnitMarker {
  unitId: number;
  channelId: number;
  x: number;
  y: number;
  selected: boolean;
  /** 0, 1, … among the markers at the same peak channel (selected ones first); 0 at a centre of mass. */
  slot: number;
  at: 'centre-of-mass' | 'peak-channel';
}

export function unitMarkers(unitIds: readonly number[], selected: ReadonlySet<number>, peakChannelOf: (unitId: number) => number | null | undefined,
  positionOf: ReadonlyMap<number, readonly [number, number]>, locationOf: (unitId: number) => { x: number; y: number } | null | undefined = () => null): UnitMarker[] {
  const listed = new Set(unitIds);
  // Selected units first (those not listed, e.g. hidden by a filter, too), then the others.
  const ordered = [...unitIds.filter((u) => selected.has(u)), ...[...selected].filter((u) => !listed.has(u)), ...unitIds.filter((u) => !selected.has(u))];
  const perChannel = new Map<number, number>();
  const out: UnitMarker[] = [];
  for (const u of ordered) {
    const ch = peakChannelOf(u);
    if (ch === null || ch === undefined) continue;
    const com = locationOf(u);
    if (com) {
      out.push({ unitId: u, channelId: ch, x: com.x, y: com.y, selected: selected.has(u), slot: 0, at: 'centre-of-mass' });
      continue;
    }
    const pos = positionOf.get(ch);
    if (!pos) continue;
    const slot = perChannel.get(ch) ?? 0;
    perChannel.set(ch, slot + 1);
    out.push({ unitId: u, channelId: ch, x: pos[0], y: pos[1], selected: selected.has(u), slot, at: 'peak-channel' });
  }
  return out;
}

/** The selected units' mean position and vertical extent (what the map centres on), null with none. */
export function selectedFocus(markers: readonly UnitMarker[]): { x: number; y: number; minY: number; maxY: number } | null {
  const s = markers.filter((m) => m.selected);
  if (!s.length) return null;
  const ys = s.map((m) => m.y);
  return { x: s.reduce((a, m) => a + m.x, 0) / s.length, y: ys.reduce((a, y) => a + y, 0) / s.length, minY: Math.min(...ys), maxY: Math.max(...ys) };
}
