import { open as fsOpen } from 'node:fs/promises';
import type { OpenFile } from './types';

/** A read the opener observed (testing.ts uses it to assert what a reader touched). */
export interface ReadRecord { path: string; offset: number; length: number }

function missing(path: string): Error {
  return Object.assign(new Error(`No such file: ${path}`), { code: 'ENOENT' });
}

/**
 * An OpenFile over local absolute paths, with no permission checks: for detectFormat (run by the
 * user on their own paths), scripts and tests. The relay serves with relay/data's createOpenFile.
 */
export function localOpenFile(opts: { log?: { reads: ReadRecord[] }; withLocalPath?: boolean } = {}): OpenFile {
  return async (path) => {
    const fh = await fsOpen(path, 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? missing(path) : err;
    });
    const size = (await fh.stat()).size;
    const readInto = async (offset: number, buf: Uint8Array): Promise<void> => {
      const length = buf.length;
      if (offset < 0 || offset + length > size) throw new Error(`read [${offset}, ${offset + length}) outside ${path} (${size} bytes)`);
      opts.log?.reads.push({ path, offset, length });
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${path} shrank while reading`);
        done += bytesRead;
      }
    };
    return {
      path,
      size,
      ...(opts.withLocalPath ? { localPath: path } : {}),
      async read(offset, length) {
        const buf = new Uint8Array(length);
        await readInto(offset, buf);
        return buf;
      },
      readInto,
      close: () => fh.close(),
    };
  };
}

