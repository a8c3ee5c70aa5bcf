import { z } from 'zod';
import { DEFAULT_SNIPPET_LEN } from '../../reducers/workspace';
import { dataUriSchema } from '../dataKwargs';
import { MAX_LISTED_UNITS, MAX_MERGE_GROUP_SIZE, MAX_SNIPPET_FRAMES } from '../views/limits';

/**
 * Kwarg schemas and request rules shared by the task contracts.
 *
 * No schema uses `.default()`: parsing returns the kwargs unchanged, so the task hash of the request
 * (computed on the kwargs as sent) and of the parsed kwargs agree, and an omitted optional kwarg
 * hashes exactly as a 2021 request that never had it. Defaults are applied in `run`.
 *
 * Request rules (2021 §8.18: "precalculation must send byte-identical kwargs, omitting defaults
 * exactly as the GUI does"), kept by the builders of every contract:
 * - Recordings and sortings are named by their `sha1://…json` URI (the workspace entry's path).
 * - An optional kwarg at its default is omitted, never sent: `snippet_len` at [50, 80], `filter`,
 *   `configuration`, `unit_ids` meaning "every unit".
 * - A unit is its id, or with merges applied its merge group (ids ascending, as the curation reducer
 *   keeps them).
 */
export { dataUriSchema, DEFAULT_SNIPPET_LEN };

export const unitIdSchema = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
/** A unit id, or a merge group (its ids, whose spikes are unioned). */
export const unitSelectionSchema = z.union([
  unitIdSchema,
  z.array(unitIdSchema).min(1, 'a merge group lists at least one unit').max(MAX_MERGE_GROUP_SIZE)
    .refine((ids) => new Set(ids).size === ids.length, 'a merge group lists each unit once'),
]);
export const unitSelectionsSchema = z.array(unitSelectionSchema).min(1).max(MAX_LISTED_UNITS);
export type UnitSelection = z.infer<typeof unitSelectionSchema>;

/** `[before, after]` in frames: the window [t − before, t + after). The 2021 default is the workspace's (SET_SNIPPET_LEN changes it). */
export const snippetLenSchema = z.tuple([z.number().int().min(0), z.number().int().min(1)])
  .refine(([b, a]) => b + a <= MAX_SNIPPET_FRAMES, `snippet_len: before + after must be at most ${MAX_SNIPPET_FRAMES} frames`);
export type SnippetLen = readonly [number, number];

/** `{recording_uri, sorting_uri, unit_id, snippet_len?}`: the tasks about one unit (waveform, amplitudes, its PCA). */
export const unitTaskKwargsSchema = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_id: unitSelectionSchema,
  snippet_len: snippetLenSchema.optional(),
}).strict();

/** The units table sends one `configuration` to every metric task; only these keys are known. */
export const DEFAULT_ISI_THRESHOLD_MSEC = 2.5;
export const metricsConfigurationSchema = z.object({
  isi_threshold_msec: z.number().positive().max(1000).optional(),
}).strict();

/** `{recording_uri, sorting_uri, snippet_len?, configuration?}`: every units-table metric task. */
export const unitsTableKwargsSchema = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  snippet_len: snippetLenSchema.optional(),
  configuration: metricsConfigurationSchema.optional(),
}).strict();
export type UnitsTableKwargs = z.infer<typeof unitsTableKwargsSchema>;

/** What every sorting view task is about. `snippetLen` is the workspace's (SET_SNIPPET_LEN). */
export interface SortingRef {
  recordingUri: string;
  sortingUri: string;
  snippetLen?: SnippetLen;
}

/** A merge group as sent: ascending ids, no duplicates; a group of one is sent as the plain id. */
export function unitKwarg(unit: UnitSelection): UnitSelection {
  if (typeof unit === 'number') return unit;
  const ids = [...new Set(unit)].sort((a, b) => a - b);
  return ids.length === 1 ? ids[0]! : ids;
}

function snippetLenKwarg(snippetLen: SnippetLen | undefined): { snippet_len?: [number, number] } {
  if (!snippetLen || (snippetLen[0] === DEFAULT_SNIPPET_LEN[0] && snippetLen[1] === DEFAULT_SNIPPET_LEN[1])) return {};
  return { snippet_len: [snippetLen[0], snippetLen[1]] };
}

/** `{recording_uri, sorting_uri, snippet_len?}` of a sorting view task. */
export const recordingAndSorting = (ref: SortingRef) => ({ recording_uri: ref.recordingUri, sorting_uri: ref.sortingUri, ...snippetLenKwarg(ref.snippetLen) });

/** `{[unitId]: value}`, as 2021 keyed results by unit. */
export const byUnitId = <T extends z.ZodType>(value: T) => z.record(z.string().regex(/^-?\d+$/), value);
