import { taskHash, type ChunkSpec, type RelayMessage } from '../core/protocol';
import { findTask } from '../core/tasks/catalog';
import { dataUrisOf, findUnregistered, unregisteredMessage, type IsRegistered } from '../core/tasks/dataKwargs';

/**
 * Whether the relay serves a chunk request at all. Anyone who may publish to `sortingview-relay` (or a
 * worker given a forged task) could otherwise have it read, upload and re-publish whatever it is asked
 * for. It serves a request only when:
 * - the request and the task it re-publishes are for this relay's label;
 * - the task is a task of the catalog, with kwargs that pass its schema and hash to its taskHash;
 * - every data kwarg of the task is registered with this label, in exactly that form;
 * - every chunk names only data that the task names (so only files a registered object references are
 *   read: a chunk never names a path, and the formats layer opens only what the object names).
 * Returns why not, or null. Said in the relay's log only: a refused request gets no chunk and no task.
 */
export async function refuseRequest(request: RelayMessage, label: string, isRegistered: IsRegistered): Promise<string | null> {
  const task = request.reply.task;
  if (request.backend !== label || task.backend !== label) return `it is for backend "${request.backend === label ? task.backend : request.backend}", not "${label}"`;
  if (request.reply.taskHash !== task.taskHash) return 'its reply names two different tasks';
  // Diagnostic tasks may be on in the deployment; whether they run is the worker's decision.
  const definition = findTask(task.functionId, { diagnosticTasks: true });
  if (!definition) return `no task ${task.functionId} exists`;
  const kwargs = definition.kwargs.safeParse(task.kwargs);
  if (!kwargs.success) return `the kwargs of ${task.functionId} are invalid (${kwargs.error.issues[0]?.path.join('.')}: ${kwargs.error.issues[0]?.message})`;
  if (taskHash(task.functionId, task.kwargs) !== task.taskHash) return 'the task hash does not match its function and kwargs';
  const unregistered = await findUnregistered(definition, kwargs.data as Record<string, unknown>, label, isRegistered);
  if (unregistered) return unregisteredMessage(unregistered, label);
  const named = new Set(dataUrisOf(definition, kwargs.data as Record<string, unknown>).map((d) => d.uri));
  for (const spec of request.chunks) {
    const stray = chunkDataUris(spec).find((u) => !named.has(u));
    if (stray !== undefined) return `a ${spec.type} chunk names ${JSON.stringify(stray.slice(0, 200))}, which task ${task.functionId} does not name`;
  }
  return null;
}

/** The fields of a chunk spec that name data (chunkSpecSchema; admission.test.ts checks none is missed). */
export const CHUNK_DATA_FIELDS = ['uri', 'recording', 'sorting'] as const;

export function chunkDataUris(spec: ChunkSpec): string[] {
  const s = spec as Record<string, unknown>;
  return CHUNK_DATA_FIELDS.flatMap((k) => (typeof s[k] === 'string' ? [s[k] as string] : []));
}
