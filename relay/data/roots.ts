import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { DataAccessError, TransientDataError } from './errors';

/**
 * The directories whose files the relay may serve (`--data-dir`). A path is allowed only when its
 * real path (symlinks and `..` resolved) lies inside the real path of one root.
 */
export class DataRoots {
  private constructor(private readonly roots: string[]) {}

  static async create(dirs: string[]): Promise<DataRoots> {
    const roots: string[] = [];
    for (const d of dirs) {
      try {
        roots.push(await realpath(resolve(d)));
      } catch {
        throw new DataAccessError(`--data-dir ${d} does not exist`);
      }
    }
    return new DataRoots(roots);
  }

  list(): string[] {
    return [...this.roots];
  }

  /** The real path of `path` if it is inside a root; otherwise a DataAccessError that says why. */
  async check(path: string): Promise<string> {
    if (!isAbsolute(path)) throw new DataAccessError(`Refused ${JSON.stringify(path)}: only absolute paths are served`);
    if (this.roots.length === 0) throw new DataAccessError(`Refused ${path}: this relay serves no plain files (start it with --data-dir DIR)`);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new TransientDataError(`No such file: ${path}`); // it may be copied in later
    }
    if (this.roots.some((root) => isInside(root, real))) return real;
    const why = real === resolve(path) ? 'it is outside' : `it resolves to ${real}, outside`;
    throw new DataAccessError(`Refused ${path}: ${why} the relay's data directories (${this.roots.join(', ')})`);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
