import { z } from 'zod';

/**
 * Workspace actions, as the 2021 log stored them (reference/kachery.md §4): every message of a
 * workspace's `main` subfeed is `{action: WorkspaceAction}`. Field names are kept exactly.
 * Recording and sorting objects are kept loose here (any JSON object): the log must replay whatever
 * formats a relay understood when it was written; the relay's readers validate them when used.
 */

const idSchema = z.string().min(1).max(200);
const labelSchema = z.string().max(1000);
const uriSchema = z.string().max(4096);
const dataObjectSchema = z.record(z.string(), z.unknown());

export const workspaceRecordingSchema = z.object({
  recordingId: idSchema,
  recordingLabel: labelSchema,
  /** `sha1://<h>/<label>.json`: the object below, stored in the relay's kachery store. */
  recordingPath: uriSchema,
  recordingObject: dataObjectSchema,
  description: z.string().max(10_000).default(''),
});
export type WorkspaceRecording = z.infer<typeof workspaceRecordingSchema>;

export const workspaceSortingSchema = z.object({
  sortingId: idSchema,
  sortingLabel: labelSchema,
  sortingPath: uriSchema,
  sortingObject: dataObjectSchema,
  recordingId: idSchema,
  recordingPath: uriSchema,
  recordingObject: dataObjectSchema,
  description: z.string().max(10_000).default(''),
  /** Not in an ADD_SORTING message: set by SET_UNIT_METRICS_FOR_SORTING (as the 2021 GUI reducer did). */
  unitMetricsUri: uriSchema.optional(),
});
export type WorkspaceSorting = z.infer<typeof workspaceSortingSchema>;

const snippetLenSchema = z.tuple([z.number().int().nonnegative().max(10_000), z.number().int().nonnegative().max(10_000)])
  .refine(([before, after]) => before + after > 0, 'a snippet needs at least one frame');

export const workspaceActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ADD_RECORDING'), recording: workspaceRecordingSchema }),
  z.object({ type: z.literal('ADD_SORTING'), sorting: workspaceSortingSchema.omit({ unitMetricsUri: true }) }),
  z.object({ type: z.literal('DELETE_RECORDINGS'), recordingIds: z.array(idSchema) }),
  z.object({ type: z.literal('DELETE_SORTINGS'), sortingIds: z.array(idSchema) }),
  z.object({ type: z.literal('DELETE_SORTINGS_FOR_RECORDINGS'), recordingIds: z.array(idSchema) }),
  z.object({
    type: z.literal('SET_UNIT_METRICS_FOR_SORTING'),
    unitMetricsForSorting: z.object({ sortingId: idSchema, metricsUri: uriSchema }),
  }),
  z.object({ type: z.literal('SET_SNIPPET_LEN'), snippetLen: snippetLenSchema }),
]);
export type WorkspaceAction = z.infer<typeof workspaceActionSchema>;
export type WorkspaceActionType = WorkspaceAction['type'];

/**
 * 2021's `SET_USER_PERMISSIONS {userId, permissions: {edit}}`. Permissions are not in the public log
 * any more (they live in the private `acl/<feedId>.json`); an old log may still hold such messages,
 * which parse as this and are ignored. Never append one.
 */
export const legacyPermissionsActionSchema = z.object({
  type: z.literal('SET_USER_PERMISSIONS'),
  userId: z.string(),
  permissions: z.record(z.string(), z.unknown()),
});

/** One message of the `main` subfeed. */
export const workspaceMessageSchema = z.object({ action: workspaceActionSchema });
export type WorkspaceMessage = z.infer<typeof workspaceMessageSchema>;
