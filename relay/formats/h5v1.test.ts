import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadH5wasm } from './hdf5';
import { openH5v1Recording, openH5v1Sorting } from './h5v1';
import { localOpenFile } from './testing';

let dir: string;
const N = 25;
const M = 2;
const chunk = 10;
const pad = 3;
const value = (m: number, t: number) => t * 10 + m;

/** Written the way labbox-ephys' create_efficient_recording writes it. */
async function writeH5v1Recording(path: string, opts: { shortPart?: boolean } = {}) {
  const h5 = await loadH5wasm();
  const f = new h5.File(path, 'w');
  const numChunks = Math.ceil(N / chunk);
  f.create_dataset({ name: 'chunk_size', data: new Int32Array([chunk]) });
  f.create_dataset({ name: 'num_chunks', data: new Int32Array([numChunks]) });
  f.create_dataset({ name: 'padding', data: new Int32Array([pad]) });
  f.create_dataset({ name: 'num_channels', data: new Int32Array([M]) });
  f.create_dataset({ name: 'num_timepoints', data: new Int32Array([N]) });
  f.create_dataset({ name: 'sampling_frequency', data: new Float64Array([20000]) });
  f.create_dataset({ name: 'channel_ids', data: new Int32Array([4, 9]) });
  f.create_dataset({ name: 'channel_geom', data: new Float64Array([0, 0, 0, 25]), shape: [2, 2] });
  for (let c = 0; c < numChunks; c++) {
    for (let m = 0; m < M; m++) {
      const part = new Float32Array(chunk + 2 * pad - (opts.shortPart && c === 1 ? 1 : 0));
      for (let i = 0; i < part.length; i++) {
        const t = c * chunk - pad + i;
        part[i] = t >= 0 && t < N ? value(m, t) : 0;
      }
      f.create_dataset({ name: `part-${m}-${c}`, data: part });
    }
  }
  f.close();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'h5v1-test-'));
  await writeH5v1Recording(join(dir, 'rec.h5'));
  await writeH5v1Recording(join(dir, 'short.h5'), { shortPart: true });
  const h5 = await loadH5wasm();
  const f = new h5.File(join(dir, 'sorting.h5'), 'w');
  f.create_dataset({ name: 'sampling_frequency', data: new Float64Array([30000]) });
  f.create_dataset({ name: 'unit_ids', data: new Int32Array([2, 7]) });
  const g = f.create_group('unit_spike_trains');
  g.create_dataset({ name: '2', data: new BigInt64Array([30n, 10n, 20n]) });
  g.create_dataset({ name: '7', data: new BigInt64Array([5n]) });
  f.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('h5_v1', () => {
  it('reads frames across chunk boundaries from the padded parts', async () => {
    const r = await openH5v1Recording({ recording_format: 'h5_v1', data: { h5_uri: join(dir, 'rec.h5') } }, localOpenFile());
    expect(r.info).toMatchObject({ sampleRateHz: 20000, numFrames: N, channelIds: [4, 9], geom: [[0, 0], [0, 25]], dtype: 'float32' });
    const t = await r.readTraces(8, 22, [9, 4]);
    const expected: number[] = [];
    for (let f = 8; f < 22; f++) expected.push(value(1, f), value(0, f));
    expect(Array.from(t)).toEqual(expected);
    const s = await r.readSnippets(new Float64Array([10, 20]), 2, 2, [4]);
    expect(Array.from(s)).toEqual([80, 90, 100, 110, 180, 190, 200, 210]);
    await r.close();
  });

  it('reports a part of the wrong length', async () => {
    const r = await openH5v1Recording({ recording_format: 'h5_v1', data: { h5_uri: join(dir, 'short.h5') } }, localOpenFile());
    await expect(r.readTraces(0, N, [4])).rejects.toThrow(/short.h5: \/part-0-1 has 15 values; chunk_size \+ 2·padding is 16/);
    await r.close();
  });

  it('reports a truncated file', async () => {
    const bytes = await readFile(join(dir, 'rec.h5'));
    await writeFile(join(dir, 'cut.h5'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(openH5v1Recording({ recording_format: 'h5_v1', data: { h5_uri: join(dir, 'cut.h5') } }, localOpenFile())).rejects.toThrow(/cut.h5: HDF5 cannot open it: truncated file/);
  });

  it('reads the h5_v1 sorting', async () => {
    const s = await openH5v1Sorting({ sorting_format: 'h5_v1', data: { h5_path: join(dir, 'sorting.h5') } }, localOpenFile());
    expect(s.sampleRateHz).toBe(30000);
    expect(s.unitIds).toEqual([2, 7]);
    expect(Array.from(s.spikeTrain(2))).toEqual([10, 20, 30]);
    await expect(openH5v1Sorting({ sorting_format: 'h5_v1', data: { h5_path: join(dir, 'rec.h5') } }, localOpenFile())).rejects.toThrow(/rec.h5: has no dataset \/unit_ids/);
  });
});
