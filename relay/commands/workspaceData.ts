import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { BlobStore } from '../../core/ports/blobStore';
import { parseRecordingObject, parseSortingObject } from '../../core/protocol/dataObjects';
import { jsonTooDeep, registeredObjectPath, registeredUriPath, sha1Hex } from '../../core/protocol';
import { KacheryStore, parseSha1Uri } from '../data/kachery';
import { pythonJsonDumps, safeBasename, storeBytes } from '../kacheryWrite';
import { CliError } from '../cliErrors';

/**
 * Turning what a user names on the command line (a path, or the `sha1://` URI of an object) into a
 * recording/sorting object stored in the kachery store and registered with the deployment.
 *
 * Only the small object JSON is hashed and stored. The data files it names stay where they are and are
 * referenced by absolute path, so adding a 100 GB recording takes a moment, not the minutes hashing
 * it would; the price is that the relay must be started with a --data-dir that contains those paths,
 * and moving the files breaks the object.
 */

export type DataKind = 'recording' | 'sorting';

/** Hints for the detector: which kind is wanted, an Open Ephys stream, a firings.mda's rate. */
export interface DetectHints {
  kind: DataKind;
  stream?: string;
  samplerateHz?: number;
  /** Told what the user should know about a choice the detector made (e.g. a segment served). */
  onNote?: (message: string) => void;
}

/** The formats layer's detector (`relay/formats` `detectFormat`): an absolute path → a recording or sorting object. */
export type DetectFormat = (absolutePath: string, hints: DetectHints) => Promise<unknown>;

export interface ResolvedObject {
  object: Record<string, unknown>;
  /** recording_format / sorting_format. */
  format: string;
  /** The object's stored bytes when it is already in the kachery store under that hash (a sha1:// input). */
  stored?: { sha1: string; bytes: Uint8Array };
  /** A label to use when none is given: the file or URI basename without extension. */
  defaultLabel: string;
}

const MAX_OBJECT_BYTES = 4 * 1024 * 1024;
const formatKey = (kind: DataKind) => (kind === 'recording' ? 'recording_format' : 'sorting_format');
const otherCommand = (kind: DataKind) => (kind === 'recording' ? 'add-sorting' : 'add-recording');

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks that `x` is an object of `kind`; the message names the field that is wrong. */
function validate(kind: DataKind, x: unknown, source: string): { object: Record<string, unknown>; format: string } {
  const other: DataKind = kind === 'recording' ? 'sorting' : 'recording';
  const tooDeep = jsonTooDeep(x, source);
  if (tooDeep) throw new CliError(tooDeep);
  if (isRecord(x) && typeof x[formatKey(other)] === 'string') {
    throw new CliError(`${source} is a ${other} (${formatKey(other)} ${String(x[formatKey(other)])}), not a ${kind}: use "sortingview workspace ${otherCommand(kind)}"`);
  }
  let parsed: { recording_format: string } | { sorting_format: string };
  try {
    parsed = kind === 'recording' ? parseRecordingObject(x) : parseSortingObject(x);
  } catch (err) {
    throw new CliError(`${source}: ${(err as Error).message}`);
  }
  // Keep the object as given when it already names its format (so its bytes and hash do not change);
  // take the normalized form for 2021's legacy shapes ({firings, samplerate}, SpikeForest {raw, geom, params}).
  const object = isRecord(x) && typeof x[formatKey(kind)] === 'string' ? x : (parsed as unknown as Record<string, unknown>);
  const format = (parsed as Record<string, unknown>)[formatKey(kind)] as string;
  return { object, format };
}

function stripExt(name: string): string {
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

export async function resolveDataObject(
  kind: DataKind, input: string, deps: { cwd: string; kacheryDir: string; detectFormat?: DetectFormat; hints?: Omit<DetectHints, 'kind'> },
): Promise<ResolvedObject> {
  if (input.startsWith('sha1://')) return fromKachery(kind, input, deps.kacheryDir);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    throw new CliError(`Unsupported URI ${input}: give a path to the data, or the sha1:// URI of a ${kind} object in the kachery store`);
  }
  const path = resolve(deps.cwd, input);
  const st = await stat(path).catch(() => null);
  if (!st) throw new CliError(`No such file or folder: ${path}`);
  const defaultLabel = stripExt(basename(path));

  // A *.json file holding an object is taken as the object (as 2021 loaded a *.json argument). Any
  // other JSON (SpikeInterface's binary.json or si_folder.json, a recording.json dump) is a data file
  // like the rest: the detector decides. One that names a format (recording_format / sorting_format)
  // is meant as an object, so what is wrong with it is the answer.
  let notAnObject: CliError | undefined;
  if (st.isFile() && extname(path).toLowerCase() === '.json' && st.size <= MAX_OBJECT_BYTES) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      json = undefined;
    }
    if (isRecord(json)) {
      try {
        return { ...validate(kind, json, path), defaultLabel };
      } catch (err) {
        if (!(err instanceof CliError) || 'recording_format' in json || 'sorting_format' in json || !deps.detectFormat) throw err;
        notAnObject = err;
      }
    }
  }

  if (!deps.detectFormat) throw new CliError(`Cannot detect the format of ${path}: this build has no format detection; pass a ${kind} object JSON instead`);
  let detected: unknown;
  try {
    detected = await deps.detectFormat(path, { ...deps.hints, kind });
  } catch (err) {
    const why = notAnObject?.message.startsWith(`${path}: `) ? notAnObject.message.slice(path.length + 2) : notAnObject?.message;
    const asObject = notAnObject ? ` (nor is it a ${kind} object JSON: ${why})` : '';
    throw new CliError(`Cannot add ${path} as a ${kind}: ${(err as Error).message}${asObject}`);
  }
  return { ...validate(kind, detected, path), defaultLabel };
}

async function fromKachery(kind: DataKind, uri: string, kacheryDir: string): Promise<ResolvedObject> {
  let sha1: string;
  let label: string;
  try {
    ({ sha1, label } = parseSha1Uri(uri));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const found = await new KacheryStore(kacheryDir).findFile(sha1).catch((err: Error) => { throw new CliError(err.message); });
  if (!found) {
    throw new CliError(`${uri} is not in the kachery store at ${kacheryDir}. Use the storage directory the object was stored in (--kachery-storage-dir or KACHERY_STORAGE_DIR).`);
  }
  if (found.size > MAX_OBJECT_BYTES) throw new CliError(`${uri} is ${found.size} bytes: not a ${kind} object. To add a data file, pass its path.`);
  const bytes = new Uint8Array(await readFile(found.path));
  if (sha1Hex(bytes) !== sha1) throw new CliError(`${uri}: the stored bytes do not hash to ${sha1} (corrupt kachery store)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CliError(`${uri} is not a JSON ${kind} object. To add a data file, pass its path.`);
  }
  const v = validate(kind, json, uri);
  return { ...v, stored: v.object === json ? { sha1, bytes } : undefined, defaultLabel: stripExt(label) || sha1.slice(0, 12) };
}

/**
 * Stores the object in the kachery store as `<label>.json` (unless it is there already) and registers
 * it for this backend in the private bucket (`objects/<label>/<sha1>`, the same bytes), which is what
 * lets the API accept tasks on it (with `objects/<label>/<sha1>.names/<name>`, the URI exactly as returned).
 * Returns its `sha1://<h>/<label>.json` URI.
 */
export async function storeAndRegister(resolved: ResolvedObject, opts: RegisterOptions): Promise<string> {
  return registerBytes(resolved.stored?.bytes ?? new TextEncoder().encode(pythonJsonDumps(resolved.object)), opts);
}

export interface RegisterOptions { label: string; kacheryDir: string; backendLabel: string; privateStore: BlobStore }

/** Stores `bytes` as `<label>.json` and registers them with the backend (any small JSON the relay may serve, e.g. unit metrics). */
export async function registerBytes(bytes: Uint8Array, opts: RegisterOptions): Promise<string> {
  const name = `${safeBasename(opts.label)}.json`;
  const uri = await storeBytes(opts.kacheryDir, bytes, name);
  const sha1 = sha1Hex(bytes);
  // Content-addressed: an existing registration holds the same bytes, so "already there" is success.
  await opts.privateStore.write(registeredObjectPath(opts.backendLabel, sha1), bytes, { ifGenerationMatch: 0, contentType: 'application/json' });
  // Then the URI in exactly the form printed (core/tasks/dataKwargs.ts): tasks on any other form of it are refused.
  await opts.privateStore.write(registeredUriPath(opts.backendLabel, sha1, name), '', { ifGenerationMatch: 0, contentType: 'text/plain' });
  return uri;
}
