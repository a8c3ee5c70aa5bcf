import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { FormatError } from './types';

/**
 * What a format module gives `detectFormat` (detect.ts): rules that recognise a local path as one of
 * its objects, and the small node:fs helpers they share. Detection runs on the user's machine with
 * node:fs (it lists folders, which OpenFile cannot); returned objects name files by absolute path.
 */
export interface DetectOptions {
  kind?: 'recording' | 'sorting';
  /** Open Ephys stream name when a recording has several. */
  stream?: string;
  /** Sampling rate for a firings.mda with no params.json beside it. */
  samplerateHz?: number;
  /** Told what the user should know about the object chosen (printed by `workspace add-*`). */
  onNote?: (message: string) => void;
}

export type DetectedObject = RecordingObject | SortingObject;

export interface DetectContext {
  opts: DetectOptions;
  /** Detects another path with the same options (a file that stands for its folder, e.g. params.py). */
  detect(path: string): Promise<DetectedObject>;
}

/**
 * A file rule sees an absolute file path and its base name; a folder rule an absolute folder path. Each
 * returns its object, null when the path is not its format, or throws a FormatError when the path is
 * its format but unusable. detect.ts tries the rules in the order of registry.ts.
 */
export type FileRule = (path: string, name: string, ctx: DetectContext) => Promise<DetectedObject | null>;
export type FolderRule = (folder: string, ctx: DetectContext) => Promise<DetectedObject | null>;

export async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null)) !== null;
}

/** Files under `dir` whose name matches, `depth` levels of subfolders deep (hidden ones skipped), sorted. */
export async function findFiles(dir: string, match: (name: string) => boolean, depth: number): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isFile() && match(e.name)) out.push(p);
    else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.')) out.push(...(await findFiles(p, match, depth - 1)));
  }
  return out;
}

/** The one file found, or an error that lists them. */
export function one(found: string[], what: string, where: string): string {
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new FormatError(where, `holds no ${what}`);
  throw new FormatError(where, `holds ${found.length} ${what} files (${found.join(', ')}); give the one you mean`);
}

/** A JSON file's value; a FormatError naming the file when it does not parse. */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new FormatError(path, `is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** A command-line word as a user would type it (quoted when the shell would split it). */
export function shellWord(s: string): string {
  return /^[\w.@%+=:,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
