import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DataAccessError, failureKind, TransientDataError } from './errors';
import { FormatError, RequestError } from '../formats/types';

describe('failureKind', () => {
  it('input: refused, corrupt, unsupported, out of range', () => {
    expect(failureKind(new DataAccessError('Refused /etc/passwd'))).toBe('input');
    expect(failureKind(new FormatError('x.mda', 'bad dtype code -42'))).toBe('input');
    expect(failureKind(new RequestError('traces outside the recording'))).toBe('input');
    expect(failureKind(new Error('h5wasm: not an HDF5 file'))).toBe('input');
    expect(failureKind(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe('input');
  });

  it('transient: typed, by system code, and through a cause', async () => {
    expect(failureKind(new TransientDataError('sha1://… is not in the kachery store'))).toBe('transient');
    for (const code of ['EIO', 'EMFILE', 'ETIMEDOUT', 'ESTALE', 'ENOENT']) expect(failureKind(Object.assign(new Error(code), { code }))).toBe('transient');
    // A read on a file handle closed under it, as Node reports it.
    const fh = await open(import.meta.filename, 'r');
    await fh.close();
    const closed = await fh.read(new Uint8Array(4), 0, 4, 0).then(() => null, (e: unknown) => e);
    expect((closed as Error).message).toBe('file closed');
    expect(failureKind(closed)).toBe('transient');
    expect(failureKind(new FormatError('x.nwb', 'read failed', { cause: closed }))).toBe('transient');
  });
});
