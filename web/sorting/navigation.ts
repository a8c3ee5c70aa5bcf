/**
 * Next/previous unit (phy's next_best / previous_best): moves through the units in the order the
 * units table shows them (its sort, its filter). Pure.
 */
export type Direction = 1 | -1;

/**
 * The unit after (1) or before (-1) the selection in `order`: after the last selected row, before
 * the first; with nothing selected (or nothing of it in `order`), the first (or last) row; null past
 * either end (the caller says so; the selection stays).
 */
export function neighbourUnit(order: readonly number[], selected: readonly number[], direction: Direction): number | null {
  if (!order.length) return null;
  const at = new Map(order.map((u, i) => [u, i]));
  const rows = selected.map((u) => at.get(u)).filter((i): i is number => i !== undefined);
  if (!rows.length) return direction === 1 ? order[0] : order[order.length - 1];
  const i = direction === 1 ? Math.max(...rows) + 1 : Math.min(...rows) - 1;
  return i >= 0 && i < order.length ? order[i] : null;
}
