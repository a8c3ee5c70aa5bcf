import { describe, expect, it } from 'vitest';
import { encodeMda } from './mda';
import { openRecording, openSorting } from './open';
import { bytesOf, memoryOpenFile } from './testing';

const firings = encodeMda('float64', [3, 3], new Float64Array([1, 100, 2, 1, 50, 1, 2, 70, 2]));
const raw = encodeMda('int16', [2, 10], new Int16Array(20).map((_, i) => i));
const open = memoryOpenFile({ '/f.mda': firings, '/raw.mda': raw, '/x.dat': bytesOf(new Int16Array(4)) });

describe('openSorting / openRecording dispatch', () => {
  it('accepts the bare 2021 {firings, samplerate} and applies curation on top', async () => {
    const s = await openSorting({ firings: '/f.mda', samplerate: 10000 } as never, open);
    expect(s.sampleRateHz).toBe(10000);
    expect(s.unitIds).toEqual([1, 2]);
    const c = await openSorting({ sorting_format: 'curated', data: { sorting: { sorting_format: 'mda', data: { firings: '/f.mda' } }, merge_groups: [[2, 1]] } }, open);
    expect(c.unitIds).toEqual([1]);
    expect(Array.from(c.spikeTrain(1))).toEqual([50, 70, 100]);
  });

  it('accepts a SpikeForest {raw, geom, params} recording', async () => {
    const r = await openRecording({ raw: '/raw.mda', geom: [[0, 0], [0, 1]], params: { samplerate: 30000 } } as never, open);
    expect(r.info.numFrames).toBe(10);
  });

  it('rejects unsupported and malformed objects with a clear message', async () => {
    await expect(openRecording({ recording_format: 'nrs', data: {} } as never, open)).rejects.toThrow(/recording_format "nrs" is not supported \(a 2021 format/);
    await expect(openRecording({ recording_format: 'bin1', data: { raw: '/x.dat' } } as never, open)).rejects.toThrow(/Not a recording object: data.raw_num_channels/);
    await expect(openSorting({ sorting_format: 'snippets1', data: {} } as never, open)).rejects.toThrow(/not supported/);
  });
});
