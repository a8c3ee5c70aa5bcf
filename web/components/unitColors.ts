/**
 * One colour per unit, the same in every view (phy's colour cycle idea): a fixed palette of
 * distinguishable colours, indexed by the unit id.
 */
const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#393b79', '#e6550d', '#31a354', '#843c39', '#7b4173', '#3182bd', '#636363',
];

export function unitColor(unitId: number): string {
  return PALETTE[((unitId % PALETTE.length) + PALETTE.length) % PALETTE.length];
}
