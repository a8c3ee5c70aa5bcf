import { z } from 'zod';
import { fixedRelayCost } from '../cost';
import { requestOf, type TaskContract } from '../contract';
import { RELAY_MAX_CHUNK_BYTES } from '../views/limits';
import { dataUriSchema } from './kwargs';

/**
 * fetch_unit_metrics.1 `{unit_metrics_uri}` → `[{name, label, tooltip?, data: {uid: number | null}}]`:
 * external metrics a lab attached to a sorting (`SET_UNIT_METRICS_FOR_SORTING`), shown as extra
 * units-table columns. The file must pass `unitMetricsFileSchema` (keys other than these are dropped).
 */
export const MAX_EXTERNAL_METRICS = 200;

export const unitMetricSchema = z.object({
  name: z.string().min(1).max(200),
  label: z.string().max(200),
  tooltip: z.string().max(2000).optional(),
  data: z.record(z.string().regex(/^-?\d+$/, 'keys of data are unit ids'), z.number().nullable()),
});
export const unitMetricsFileSchema = z.array(unitMetricSchema).max(MAX_EXTERNAL_METRICS);
export type UnitMetric = z.infer<typeof unitMetricSchema>;

export const unitMetricsContract: TaskContract<{ unit_metrics_uri: string }, UnitMetric[]> = {
  functionId: 'fetch_unit_metrics.1',
  kind: 'pure',
  relayCost: fixedRelayCost(RELAY_MAX_CHUNK_BYTES, ''), // one file chunk, capped at the relay
  kwargs: z.object({ unit_metrics_uri: dataUriSchema }).strict(),
  result: unitMetricsFileSchema,
};

export const unitMetricsRequest = (unitMetricsUri: string) => requestOf(unitMetricsContract, { unit_metrics_uri: unitMetricsUri });
