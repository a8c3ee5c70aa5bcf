/**
 * File access as a port: the relay's data layer implements it (relay/data/openFile.ts: kachery
 * `sha1://` files and plain files under --data-dir, bounds-checked), the format readers use it
 * (relay/formats), tests pass in-memory ones (relay/formats/testing.ts). Declared once, here.
 */

/** Positional reads of one file, bounds-checked: the only way the relay touches data. */
export interface RandomAccessFile {
  /** The URI or path the file was opened by; used in error messages. */
  path: string;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: fills `target` with the bytes at `offset` (same checks as `read`). Lets a snippet
   * gather reuse its buffers: a fresh buffer per read costs more than the read when the file is in
   * the page cache.
   */
  readInto?(offset: number, target: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /**
   * Optional: the host path of the whole file when it is one local file. HDF5 (h5wasm) reads such a
   * file lazily; without it a `sha1://` HDF5 file is copied to a temp file under a size cap (hdf5.ts).
   */
  localPath?: string;
}

/**
 * Resolves `sha1://…` URIs and plain paths, or throws an Error that says why (refused, missing).
 * A missing file should throw an error whose `code` is 'ENOENT' or whose message contains
 * "No such file" or "ENOENT": readers treat those as "absent" for optional files (e.g. phy's
 * cluster_group.tsv) and rethrow every other error.
 */
export type OpenFile = (uriOrPath: string) => Promise<RandomAccessFile>;
