/**
 * Shift-click in the units table selects the rows from the last clicked one to this one, in the
 * order the table shows them (its sort), as in phy and every file manager. Pure.
 */
export function rowsBetween(order: readonly number[], anchor: number | null, target: number): number[] {
  const to = order.indexOf(target);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (to < 0) return [];
  if (from < 0) return [target];
  return order.slice(Math.min(from, to), Math.max(from, to) + 1);
}
