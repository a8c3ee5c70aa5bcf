import { realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { DataAccessError, TransientDataError } from './errors';

/**
 * The directories whose files the relay may serve (`--data-dir`). A path is allowed only when its
 * real path (symlinks and `..` resolved) lies inside the real path of one root.
 */
export class DataRoots {
  /** `roots`: real paths; `named`: the same directories as given (resolved), which objects' paths may use. */
  private constructor(private readonly roots: string[], private readonly named: string[] = roots) {}

  static async create(dirs: string[]): Promise<DataRoots> {
    const roots: string[] = [];
    for (const d of dirs) {
      try {
        roots.push(await realpath(resolve(d)));
      } catch {
        throw new DataAccessError(`--data-dir ${d} does not exist`);
      }
    }
    return new DataRoots(roots, dirs.map((d) => resolve(d)));
  }

  list(): string[] {
    return [...this.roots];
  }

  /**
   * How a message names `path` (issue 14: errors must not tell anonymous callers the lab's paths):
   * relative to the root it lies in, `<data-dir>/run1/x.bin`; a path outside every root by its base name only.
   */
  describe(path: string): string {
    const p = resolve(path);
    for (const root of [...this.named, ...this.roots]) {
      if (isInside(root, p)) return `<data-dir>${p === root ? '' : `/${relative(root, p)}`}`;
    }
    return `"${basename(p)}" (outside the relay's data directories)`;
  }

  /** The real path of `path` if it is inside a root; otherwise a DataAccessError that says why (path-free: `describe`). */
  async check(path: string): Promise<string> {
    if (!isAbsolute(path)) throw new DataAccessError(`Refused ${JSON.stringify(path)}: only absolute paths are served`);
    if (this.roots.length === 0) throw new DataAccessError(`Refused "${basename(path)}": this relay serves no plain files (start it with --data-dir DIR)`);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new TransientDataError(`No such file: ${this.describe(path)}`); // it may be copied in later
    }
    if (this.roots.some((root) => isInside(root, real))) return real;
    const why = real === resolve(path) ? 'it is outside' : 'it resolves (through a symlink or "..") to a file outside';
    throw new DataAccessError(`Refused "${basename(resolve(path))}": ${why} the relay's data directories (--data-dir)`);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
