import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { pathify } from '../../core/protocol';
import { DataAccessError, TransientDataError } from './errors';
import type { DataRoots } from './roots';

/** A parsed `sha1://<hash>[/<label>][?manifest=<sha1>]` URI (kachery.md §2). */
export interface Sha1Uri {
  sha1: string;
  label: string;
  manifestSha1: string | null;
}

export function parseSha1Uri(uri: string): Sha1Uri {
  const m = /^sha1:\/\/([^/?]+)((?:\/[^?]*)?)(?:\?(.*))?$/.exec(uri);
  // The hash segment may carry a cosmetic ".ext" suffix, which kachery strips.
  const sha1 = m?.[1].split('.')[0].toLowerCase();
  if (!m || !sha1 || !/^[0-9a-f]{40}$/.test(sha1)) throw new DataAccessError(`Not a sha1:// URI: ${JSON.stringify(uri)}`);
  const params = new URLSearchParams(m[3] ?? '');
  const manifestSha1 = params.get('manifest');
  if (manifestSha1 !== null && !/^[0-9a-f]{40}$/.test(manifestSha1)) throw new DataAccessError(`Bad manifest hash in ${uri}`);
  return { sha1, label: m[2].replace(/^\//, ''), manifestSha1 };
}

const linkSchema = z.object({
  path: z.string(),
  stat: z.object({ size: z.number(), mtime: z.number() }),
});

export const manifestSchema = z.object({
  size: z.number().int().nonnegative(),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  chunks: z.array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive(), sha1: z.string().regex(/^[0-9a-f]{40}$/) })),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Where a sha1 lives: a whole local file, or chunk files listed by a manifest. */
export type Located = { kind: 'file'; path: string; size: number } | { kind: 'chunks'; manifest: Manifest; chunkPaths: string[] };

/** The kachery storage directory: `sha1/aa/bb/cc/<h>` files and `.link` records. */
export class KacheryStore {
  /**
   * `linkRoots`: where `.link` targets may lie (the relay passes its --data-dir roots, so a link record
   * cannot lead it to a file outside them). Without it links are followed (the CLI, reading as the user).
   */
  constructor(readonly dir: string, private readonly opts: { linkRoots?: DataRoots } = {}) {}

  private contentPath(sha1: string): string {
    return join(this.dir, 'sha1', pathify(sha1));
  }

  /**
   * The local file holding `sha1`: the content file, else the target of its `.link` record, which is
   * trusted only while the target's size and mtime still match the record (as kachery's client did).
   * A missing file or a stale link is transient (a file copied in or a link fixed later must work);
   * a record that cannot be parsed, or a target outside `linkRoots`, is an input error. Messages name the
   * data by its hash and a target by its path relative to a root, never where the store or a file lies.
   */
  async findFile(sha1: string): Promise<{ path: string; size: number } | null> {
    const content = this.contentPath(sha1);
    const st = await stat(content).catch(() => null);
    if (st?.isFile()) return { path: content, size: st.size };
    const linkText = await readFile(`${content}.link`, 'utf8').catch(() => null);
    if (linkText === null) return null;
    let link;
    try {
      link = linkSchema.parse(JSON.parse(linkText));
    } catch {
      throw new DataAccessError(`kachery link record for ${sha1} is malformed`);
    }
    const roots = this.opts.linkRoots;
    const where = roots ? roots.describe(link.path) : 'a file';
    const target = await stat(link.path).catch(() => null);
    if (!target) throw new TransientDataError(`The kachery link for ${sha1} points to ${where}, which no longer exists`);
    // Checked on the real path (symlinks resolved), as every plain file is (roots.ts).
    if (roots) await roots.check(link.path).catch((err) => { throw err instanceof TransientDataError ? err : new DataAccessError(`Refused the kachery link for sha1://${sha1}: its target is outside the relay's data directories (--data-dir)`); });
    const mtimeSec = target.mtimeMs / 1000;
    if (target.size !== link.stat.size || Math.abs(mtimeSec - link.stat.mtime) > 1e-3) {
      throw new TransientDataError(`The kachery link for ${sha1} points to ${where}, which has changed since it was linked (size or mtime differ)`);
    }
    return { path: link.path, size: target.size };
  }

  /** Locates a URI's bytes; a manifest is read and checked against the URI before it is trusted. */
  async locate(uri: Sha1Uri): Promise<Located> {
    const whole = await this.findFile(uri.sha1);
    if (whole) return { kind: 'file', ...whole };
    if (!uri.manifestSha1) throw new TransientDataError(`sha1://${uri.sha1} is not in the kachery store of this relay`);
    const mf = await this.findFile(uri.manifestSha1);
    if (!mf) throw new TransientDataError(`The manifest ${uri.manifestSha1} of sha1://${uri.sha1} is not in the kachery store of this relay`);
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(await readFile(mf.path, 'utf8')));
    } catch {
      throw new DataAccessError(`The manifest ${uri.manifestSha1} is not valid manifest JSON`);
    }
    if (manifest.sha1 !== uri.sha1) throw new DataAccessError(`The manifest ${uri.manifestSha1} describes ${manifest.sha1}, not ${uri.sha1}`);
    let expected = 0;
    for (const c of manifest.chunks) {
      if (c.start !== expected || c.end <= c.start) throw new DataAccessError(`The manifest ${uri.manifestSha1} has gaps or overlaps at byte ${c.start}`);
      expected = c.end;
    }
    if (expected !== manifest.size) throw new DataAccessError(`The manifest ${uri.manifestSha1} chunks cover ${expected} bytes, not its size ${manifest.size}`);
    const chunkPaths: string[] = [];
    for (const c of manifest.chunks) {
      const f = await this.findFile(c.sha1);
      if (!f) throw new TransientDataError(`Chunk ${c.sha1} of sha1://${uri.sha1} is missing from the kachery store`);
      if (f.size !== c.end - c.start) throw new DataAccessError(`Chunk ${c.sha1} of sha1://${uri.sha1} has ${f.size} bytes; the manifest says ${c.end - c.start}`);
      chunkPaths.push(f.path);
    }
    return { kind: 'chunks', manifest, chunkPaths };
  }
}
