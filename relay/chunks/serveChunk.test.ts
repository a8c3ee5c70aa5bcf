import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../core/protocol/chunkEncoding';
import { TransientDataError } from '../data/errors';
import type { OpenFile } from '../data/openFile';
import { memoryOpenFile } from '../formats/testing';
import { createFormatChunkServer } from './formatChunks';
import { serveChunk } from './serveChunk';

const files: Record<string, string> = { '/data/bad.json': '{"recording_format": "mda", "data": {"raw": 1' };
/** Like the relay's opener: a file not there yet is a transient failure (roots.ts, kachery.ts). */
const inner = memoryOpenFile(files);
const openFile: OpenFile = async (p) => {
  if (!(p in files)) throw new TransientDataError(`No such file: ${p}`);
  return inner(p);
};
const formats = createFormatChunkServer(openFile);

function deps(onSleep: () => void = () => {}) {
  const slept: number[] = [];
  return { slept, d: { openFile, formats: formats.serve, retryDelaysMs: [5, 10, 20], sleep: async (ms: number) => { slept.push(ms); onSleep(); } } };
}

describe('serveChunk: input and transient failures', () => {
  it('retries a transient failure and serves the file once it is copied in', async () => {
    const { slept, d } = deps(() => { if (slept.length === 2) files['/data/late.json'] = '{"x": 1}'; });
    const out = await serveChunk({ type: 'object', uri: '/data/late.json' }, d);
    expect(out.isError).toBe(false);
    expect(slept).toEqual([5, 10]);
  });

  it('answers a failure still there after the retries with a transient error chunk that says so', async () => {
    const { slept, d } = deps();
    const out = await serveChunk({ type: 'object', uri: '/data/never.json' }, d);
    expect(slept).toEqual([5, 10, 20]);
    expect(out).toMatchObject({ isError: true, errorKind: 'transient' });
    expect(decodeChunk(out.bytes).header).toEqual({ kind: 'error', errorKind: 'transient', message: 'No such file: /data/never.json (still failing after 4 tries at the relay)' });
  });

  it('answers a malformed file at once with an input error chunk', async () => {
    const { slept, d } = deps();
    const out = await serveChunk({ type: 'recordingInfo', recording: '/data/bad.json' }, d);
    expect(slept).toEqual([]);
    expect(out).toMatchObject({ isError: true, errorKind: 'input' });
    expect(decodeChunk(out.bytes).header).toMatchObject({ kind: 'error', errorKind: 'input', message: '/data/bad.json is not JSON' });
  });
});
