import { z } from 'zod';

/**
 * Curation actions of one sorting (reference/kachery.md §4, 2021 `SortingCuration.ts`): the messages of
 * the subfeed `{name: 'sortingCuration', sortingId}` are bare actions (no `{action}` wrapper).
 * Older logs carried a `sortingId` field in each action; it is accepted and dropped.
 */

export const unitIdSchema = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
/** Free text (2021 offered accept, reject, noise, artifact, mua and let users add their own). */
export const unitLabelSchema = z.string().trim().min(1, 'a label is not empty').max(100);
const unitIdsSchema = z.array(unitIdSchema).max(100_000);

export const STANDARD_UNIT_LABELS = ['accept', 'reject', 'noise', 'artifact', 'mua'] as const;

/** A whole curation as SET_CURATION carries it; keys of `labelsByUnit` are unit ids in decimal. */
export const curationSnapshotSchema = z.object({
  labelsByUnit: z.record(z.string().regex(/^-?\d+$/, 'labelsByUnit keys are unit ids'), z.array(unitLabelSchema)).default({}),
  mergeGroups: z.array(unitIdsSchema).default([]),
  isClosed: z.boolean().default(false),
});

export const curationActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ADD_UNIT_LABEL'), unitId: z.union([unitIdSchema, unitIdsSchema]), label: unitLabelSchema }),
  z.object({ type: z.literal('REMOVE_UNIT_LABEL'), unitId: z.union([unitIdSchema, unitIdsSchema]), label: unitLabelSchema }),
  z.object({ type: z.literal('MERGE_UNITS'), unitIds: unitIdsSchema }),
  z.object({ type: z.literal('UNMERGE_UNITS'), unitIds: unitIdsSchema }),
  z.object({ type: z.literal('CLOSE_CURATION') }),
  z.object({ type: z.literal('REOPEN_CURATION') }),
  z.object({ type: z.literal('SET_CURATION'), curation: curationSnapshotSchema }),
]);
export type CurationAction = z.infer<typeof curationActionSchema>;
export type CurationActionType = CurationAction['type'];
