import { z } from 'zod';

/**
 * Every message and bucket object of DESIGN.md, as a zod schema with its type beside it.
 * Shells parse once at entry (`schema.parse`) and pass typed values inward.
 */

export const backendLabelSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
  'a backend label is 1-64 characters: letters, digits, "_", "-", "." (not first)');
export const sha1HashSchema = z.string().regex(/^[0-9a-f]{40}$/, 'a sha1 hash is 40 lowercase hex digits');
export const functionIdSchema = z.string().regex(/^[A-Za-z0-9_.]+\.\d+$/, 'a function id ends in a version suffix, e.g. "sortingview.get_backend_info.1"');

export const taskKinds = ['pure', 'query', 'action'] as const;
export const taskKindSchema = z.enum(taskKinds);
export type TaskKind = z.infer<typeof taskKindSchema>;

/** Statuses a backend writes; `waiting` exists only in the client, before the API has answered. */
export const taskStatuses = ['queued', 'waiting-for-data', 'running', 'finished', 'error'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatusSchema>;
export type ClientTaskStatus = TaskStatus | 'waiting';

/** `task_status/<label>/<taskHash>.json` */
export const taskStatusObjectSchema = z.object({
  status: taskStatusSchema,
  errorMessage: z.string().optional(),
  updated: z.number(), // ms since epoch
});
export type TaskStatusObject = z.infer<typeof taskStatusObjectSchema>;

export const kwargsSchema = z.record(z.string(), z.unknown());
export type Kwargs = z.infer<typeof kwargsSchema>;

/** `sortingview-tasks` message data; attributes `{backend, taskHash}`. */
export const taskMessageSchema = z.object({
  taskHash: sha1HashSchema,
  functionId: functionIdSchema,
  kwargs: kwargsSchema,
  backend: backendLabelSchema,
  kind: taskKindSchema,
  attempt: z.number().int().nonnegative(),
  /**
   * Who asked first, as the API keys its rate limit, hashed (the relay's fair queue serves callers in
   * turn, relay/fairQueue.ts; the lab's machine never sees an address). Not part of the task hash.
   */
  caller: z.string().regex(/^[0-9a-f]{16}$/).optional(),
});
export type TaskMessage = z.infer<typeof taskMessageSchema>;

const channelIdsSchema = z.array(z.number().int());
const uriSchema = z.string().min(1).max(4096);

/** What a worker asks the relay for. The chunk's bucket path is the sha1 of its stable JSON. */
export const chunkSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('object'), uri: uriSchema }),
  z.object({ type: z.literal('file'), uri: uriSchema }),
  z.object({ type: z.literal('recordingInfo'), recording: uriSchema }),
  z.object({ type: z.literal('traces'), recording: uriSchema, startFrame: z.number().int().nonnegative(), endFrame: z.number().int().nonnegative(), channelIds: channelIdsSchema }),
  z.object({ type: z.literal('snippets'), recording: uriSchema, frames: z.array(z.number().int().nonnegative()), channelIds: channelIdsSchema, before: z.number().int().nonnegative(), after: z.number().int().nonnegative() }),
  // Not in DESIGN.md's list: the sum of each group's snippets (and optionally every snippet of one
  // channel per group), a reduction at the source like minmax: a mean waveform needs T × C values,
  // not spikes × T × C (see docs/decisions.md).
  z.object({
    type: z.literal('snippetSums'), recording: uriSchema, channelIds: channelIdsSchema,
    before: z.number().int().nonnegative(), after: z.number().int().nonnegative(),
    groups: z.array(z.array(z.number().int().nonnegative())).min(1),
    detailChannelIds: z.array(z.number().int()).optional(),
  }),
  z.object({ type: z.literal('minmax'), recording: uriSchema, dsFactor: z.number().int().positive(), segment: z.number().int().nonnegative(), segmentSize: z.number().int().positive() }),
  // Not in DESIGN.md's list: a sorting's spike trains, read by the relay's format layer (phy folders,
  // NWB units, npz… are not single files the worker could parse from a `file` chunk).
  z.object({ type: z.literal('sorting'), sorting: uriSchema }),
  // Not in DESIGN.md's list: stored average waveforms of units of the recording's own sorting (a
  // SortingAnalyzer's `templates` extension), [units][samples][channels] float32, for views of an
  // analyzer whose traces are gone.
  z.object({ type: z.literal('templates'), recording: uriSchema, sorting: uriSchema, unitIds: z.array(z.number().int()).min(1).max(256) }),
  // Likewise its `spike_amplitudes`: each unit's amplitudes in its spike train's order, concatenated (float32).
  z.object({ type: z.literal('spikeAmplitudes'), recording: uriSchema, sorting: uriSchema, unitIds: z.array(z.number().int()).min(1).max(256) }),
]);
export type ChunkSpec = z.infer<typeof chunkSpecSchema>;

/**
 * `sortingview-relay` message data; attribute `backend`. `reply.task` is the task message the relay
 * re-publishes once the chunks are up (DESIGN.md names only `reply.taskHash`: the relay cannot rebuild
 * a task from its hash, so the message travels along).
 */
export const MAX_CHUNKS_PER_REQUEST = 256;
export const relayMessageSchema = z.object({
  requestId: z.string().min(1),
  backend: backendLabelSchema,
  chunks: z.array(chunkSpecSchema).min(1).max(MAX_CHUNKS_PER_REQUEST),
  reply: z.object({ taskHash: sha1HashSchema, task: taskMessageSchema }),
  /**
   * Error chunks among `chunks` that the worker found older than the backoff (lifecycle.ts) and wants
   * produced again: the chunk's index and the generation the worker read. The relay overwrites only that
   * generation, so it never replaces a good chunk (or an error another request already renewed).
   */
  replace: z.array(z.object({ index: z.number().int().nonnegative(), generation: z.string().regex(/^[1-9][0-9]*$/) })).max(MAX_CHUNKS_PER_REQUEST).optional(),
});
export type RelayMessage = z.infer<typeof relayMessageSchema>;

/** `sortingview-backends/<label>.json`, the target of a Backend URI. */
export const backendConfigSchema = z.object({
  label: backendLabelSchema,
  apiUrl: z.string().url(),
  version: z.string(),
  taskFunctionIds: z.array(functionIdSchema),
  timestamp: z.number(), // ms since epoch; alive when under BACKEND_ALIVE_MS old
});
export type BackendConfig = z.infer<typeof backendConfigSchema>;
export const BACKEND_ALIVE_MS = 70_000;
/** The one "alive" rule: the relay rewrote its config (`timestamp`, ms since epoch) less than BACKEND_ALIVE_MS before `nowMs`. */
export function isBackendAlive(config: Pick<BackendConfig, 'timestamp'> | number, nowMs: number): boolean {
  return nowMs - (typeof config === 'number' ? config : config.timestamp) < BACKEND_ALIVE_MS;
}
export const BACKEND_CONFIG_REFRESH_MS = 30_000;

/** `POST /v1/tasks` body. */
export const taskRequestSchema = z.object({
  backend: backendLabelSchema,
  functionId: functionIdSchema,
  kwargs: kwargsSchema.default({}),
}).strict();
export type TaskRequest = z.infer<typeof taskRequestSchema>;

export const taskResponseSchema = z.object({
  taskHash: sha1HashSchema,
  status: taskStatusSchema,
  resultUrl: z.string(),
  statusUrl: z.string(),
  errorMessage: z.string().optional(),
});
export type TaskResponse = z.infer<typeof taskResponseSchema>;

/** Every API error body. */
export const apiErrorSchema = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof apiErrorSchema>;

/** `feeds/<feedId>/<subfeedHash>/<n>.json`: an app message with who appended it and when. */
export const feedIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a feed id is 64 hex digits');
export const storedFeedMessageSchema = z.object({
  message: z.record(z.string(), z.unknown()),
  user: z.string(),
  timestamp: z.number(),
});
export type StoredFeedMessage = z.infer<typeof storedFeedMessageSchema>;
/** `feeds/<feedId>/<subfeedHash>/count.json`: a lower bound on the number of messages (readers probe past it). */
export const feedCountSchema = z.object({ count: z.number().int().nonnegative() });

/** `acl/<feedId>.json` in the private bucket. */
export const workspaceAclSchema = z.object({
  owner: z.string(),
  editors: z.array(z.string()),
});
export type WorkspaceAcl = z.infer<typeof workspaceAclSchema>;
