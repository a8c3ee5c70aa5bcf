/**
 * A file that is corrupt, truncated, or not what its format says. The message starts with the file.
 * Declared here, in core, so that the pure codecs (npy.ts) throw the very class the relay's readers
 * throw and classify (relay/formats re-exports it).
 */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(readonly file: string, what: string, options?: { cause?: unknown }) {
    super(`${file}: ${what}`, options);
  }
}
