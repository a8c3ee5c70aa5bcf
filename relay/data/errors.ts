/**
 * What went wrong with a chunk, decided where the error is raised (DESIGN.md "Trust": no error is
 * final, but the two kinds are handled differently):
 * - input: the request or the data is wrong as it stands (a path refused, a corrupt or truncated file,
 *   an unsupported format, a range outside the recording). Asking again changes nothing until someone
 *   fixes the data, so it is answered at once with an error chunk that says why.
 * - transient: the same request may well succeed in a moment (an I/O error, a reader closed under us,
 *   a kachery store file not there yet, a `.link` whose target is gone, a timeout). The relay retries it
 *   itself before answering, and its error chunk says it was temporary.
 */
export type FailureKind = 'input' | 'transient';

/** A request for data the relay will not or cannot serve as it stands (an input error). Its message reaches the task's error. */
export class DataAccessError extends Error {
  override name = 'DataAccessError';
}

/** Data that is not there or not readable right now but may be soon (copied in, link fixed, disk back). */
export class TransientDataError extends Error {
  override name = 'TransientDataError';
}

/**
 * System error codes worth a retry: the file system or the machine failed, not the data. ENOENT is
 * among them because a file that vanished between two reads (or was not copied in yet) may come back;
 * EBADF is a descriptor closed under a read ("file closed").
 */
const TRANSIENT_CODES = new Set(['EIO', 'EBADF', 'EMFILE', 'ENFILE', 'ENOMEM', 'ENOSPC', 'EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT', 'ESTALE', 'ECONNRESET', 'ENOENT', 'ENOTCONN', 'EHOSTDOWN']);

export function isTransientCode(code: unknown): boolean {
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/**
 * The kind of a failure thrown while producing a chunk. Typed errors say what they are; a system error
 * is transient by its code (also when wrapped, through `cause`); anything else thrown by a format reader
 * (plain Errors whose message names the file) is an input error.
 */
export function failureKind(err: unknown): FailureKind {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TransientDataError) return 'transient';
    if (e instanceof DataAccessError) return 'input';
    if (isTransientCode((e as NodeJS.ErrnoException).code)) return 'transient';
  }
  return 'input';
}

/**
 * Rewrites a message that goes into a chunk (and so into a task's status in the public bucket) so that
 * it names no path of the lab's machine (issue 14): the kachery store becomes `<kachery store>`, a path
 * under a root `<data-dir>/<relative path>`, any other absolute path its base name. The relay's own
 * messages are path-free already (roots.ts, kachery.ts); this also covers the format readers', which
 * name the files they open.
 */
export function pathRedactor(opts: { describe(path: string): string; kacheryDir?: string | null }): (message: string) => string {
  const store = opts.kacheryDir ? opts.kacheryDir.replace(/\/+$/, '') : null;
  return (message) => {
    let m = message;
    if (store) m = m.split(`${store}/`).join('<kachery store>/').split(store).join('<kachery store>');
    // An absolute path starts a token (not the "//" of a URI); a sentence's final "." is not part of it.
    return m.replace(/(^|[\s"'([=,])(\/[^\s"'()[\],;]*[^\s"'()[\],;.])/g, (_, before: string, path: string) => `${before}${opts.describe(path)}`);
  };
}
