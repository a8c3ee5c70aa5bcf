import { unitMetricsContract, unitMetricsFileSchema } from '../contracts/unitMetrics';
import { implement } from '../types';
import { TaskError } from '../../taskError';

/**
 * fetch_unit_metrics.1 (contracts/unitMetrics.ts) → `[{name, label, tooltip?, data: {uid: number | null}}]`:
 * external metrics a lab attached to a sorting (`SET_UNIT_METRICS_FOR_SORTING`), shown as extra
 * units-table columns. One round: a `file` chunk of the JSON file, which must pass `unitMetricsFileSchema`
 * (keys other than these are dropped; errors name the path in the file, never its content).
 */
/** Where in the file: list indices, unit ids and our field names; any other key of the file is not echoed. */
const KNOWN_KEYS = new Set(['name', 'label', 'tooltip', 'data']);
function describePath(path: PropertyKey[]): string {
  if (!path.length) return '(top level)';
  return path.map((p) => (typeof p === 'number' || KNOWN_KEYS.has(String(p)) || /^-?\d{1,12}$/.test(String(p)) ? String(p) : '…')).join('.');
}

export const unitMetricsTask = implement(unitMetricsContract, async ({ unit_metrics_uri }, ctx) => {
  const [chunk] = await ctx.data.require([{ type: 'file', uri: unit_metrics_uri }]);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(chunk.payload));
  } catch {
    throw new TaskError(`${unit_metrics_uri} is not a JSON file; unit metrics are a JSON list of {name, label, tooltip?, data: {unitId: number}}`);
  }
  const parsed = unitMetricsFileSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${describePath(i.path)}: ${i.message}`).join('; ');
    throw new TaskError(`${unit_metrics_uri} is not a unit metrics file (a JSON list of {name, label, tooltip?, data: {unitId: number}}): ${where}`);
  }
  return parsed.data;
});
