import { z } from 'zod';
import { registeredObjectPath, registeredUriPath } from '../protocol/paths';
import type { TaskDefinition } from './types';

/**
 * Which kwargs of a task name data, read off the task's own kwargs schema: a field is a data kwarg when
 * its schema is `dataUriSchema` (optional, nullable or in an array). No hand list to forget a kwarg in:
 * `dataKwargs.test.ts` proves that every kwarg of every catalogued task that would take a sha1:// URI is
 * one, so a new task that names data is checked by the API, the worker and the relay without more code.
 *
 * A data URI has exactly the form `workspace add-recording` / `add-sorting` register and print:
 * `sha1://<40 hex>/<name>`, `<name>` as `safeBasename` makes it. Nothing else (no `?manifest=`, no
 * `.ext` on the hash, no second path segment): each variant would be a new task with new chunks for
 * the relay to read (issue 14), and the registry holds each registered name (`registeredUriPath`).
 */
export const DATA_URI_PATTERN = /^sha1:\/\/([0-9a-f]{40})\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})$/;

const dataSchemas = new WeakSet<object>();

/** Recordings, sortings and other registered files are named by the URI their registration printed. */
export const dataUriSchema = z.string().regex(DATA_URI_PATTERN, 'the sha1://<hash>/<name> URI that "sortingview workspace add-recording / add-sorting" printed for registered data');
dataSchemas.add(dataUriSchema);

export interface DataUri {
  sha1: string;
  name: string;
}

/** The parts of a data URI in its registered form, or null for anything else. */
export function parseDataUri(uri: string): DataUri | null {
  const m = DATA_URI_PATTERN.exec(uri);
  return m ? { sha1: m[1], name: m[2] } : null;
}

/** A schema with its optional / nullable / default wrappers taken off (zod 4 keeps the inner one at `def.innerType`). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const inner = (s as { def?: { innerType?: z.ZodType } }).def?.innerType;
    if (!inner) return s;
    s = inner;
  }
}

type DataKwargShape = 'one' | 'list';

/** The data kwargs of a kwargs schema: `one` (a URI) or `list` (an array of URIs). Non-object schemas name none. */
export function dataKwargsOfSchema(schema: z.ZodType): Map<string, DataKwargShape> {
  const out = new Map<string, DataKwargShape>();
  const s = unwrap(schema);
  if (!(s instanceof z.ZodObject)) return out;
  for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
    const f = unwrap(field);
    if (dataSchemas.has(f)) out.set(key, 'one');
    else if (f instanceof z.ZodArray && dataSchemas.has(unwrap(f.element as z.ZodType))) out.set(key, 'list');
  }
  return out;
}

const cache = new WeakMap<TaskDefinition, Map<string, DataKwargShape>>();
export function dataKwargsOf(task: TaskDefinition): Map<string, DataKwargShape> {
  let m = cache.get(task);
  if (!m) cache.set(task, (m = dataKwargsOfSchema(task.kwargs)));
  return m;
}

/** Every data URI named by `kwargs` (already checked against the task's schema), with its kwarg. */
export function dataUrisOf(task: TaskDefinition, kwargs: Record<string, unknown>): { key: string; uri: string }[] {
  const out: { key: string; uri: string }[] = [];
  for (const [key, shape] of dataKwargsOf(task)) {
    const v = kwargs[key];
    const values = shape === 'one' ? [v] : Array.isArray(v) ? v : [];
    for (const uri of values) if (typeof uri === 'string') out.push({ key, uri });
  }
  return out;
}

/** Whether a data URI is registered with a backend (the private bucket's `objects/<label>/…`). */
export type IsRegistered = (label: string, uri: string) => Promise<boolean>;

/**
 * The registry check over a bucket's existence test (the private bucket's `objects/<label>/<sha1>.names/<name>`,
 * written by `workspace add-recording / add-sorting`): a URI in any other form is not registered.
 */
export function registryCheck(exists: (path: string) => Promise<boolean>): IsRegistered {
  return async (label, uri) => {
    const d = parseDataUri(uri);
    return d !== null && exists(registeredUriPath(label, d.sha1, d.name));
  };
}

/** The first data kwarg whose data the backend has not registered in exactly that form, or null. */
export async function findUnregistered(
  task: TaskDefinition, kwargs: Record<string, unknown>, label: string, isRegistered: IsRegistered,
): Promise<{ key: string; uri: string } | null> {
  for (const d of dataUrisOf(task, kwargs)) {
    if (!parseDataUri(d.uri) || !(await isRegistered(label, d.uri))) return d;
  }
  return null;
}

/** What the API, the worker and the relay say about it: the URI, never where the data lives. */
export function unregisteredMessage(d: { key: string; uri: string }, label: string): string {
  const command = d.key === 'unit_metrics_uri' ? 'set-unit-metrics' : 'add-recording / add-sorting';
  return `${d.key} ${d.uri} is not registered with backend "${label}": add it with "sortingview workspace ${command}" on the machine that holds the data, and use the URI it prints`;
}

/** The private-bucket objects that register `uri` with a backend (the object, then its name): what add-recording writes. */
export function registrationPaths(label: string, uri: string): string[] {
  const d = parseDataUri(uri);
  if (!d) throw new Error(`Not a data URI in its registered form: ${uri}`);
  return [registeredObjectPath(label, d.sha1), registeredUriPath(label, d.sha1, d.name)];
}
