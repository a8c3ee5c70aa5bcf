import { describe, expect, it } from 'vitest';
import { SI_FIXTURES } from './spikeinterfaceSorting.fixtures';
import { npzFolderSortingFiles, npzSortingBytes, numpyFolderSortingFiles } from './spikeinterfaceSorting';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('SpikeInterface sorting writers, byte for byte against files SpikeInterface 0.105.0 wrote', () => {
  for (const [name, f] of Object.entries(SI_FIXTURES)) {
    it(`${name} (${f.kind}, unit ids ${JSON.stringify(f.unitIds)})`, () => {
      const input = { samplingFrequency: f.samplingFrequency, unitIds: f.unitIds, segments: f.segments };
      const ours: Record<string, Uint8Array | ''> = f.kind === 'npz' ? { [`${name}.npz`]: npzSortingBytes(input) }
        : f.kind === 'numpy_folder' ? numpyFolderSortingFiles(input) : npzFolderSortingFiles(input);
      for (const [file, expected] of Object.entries(f.files)) {
        const got = ours[file];
        expect(got, file).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(got as Uint8Array).toString('base64'), file).toBe(expected);
      }
      if (f.kind !== 'npz') expect(ours.properties).toBe(''); // save_metadata_to_folder always makes properties/
    });
  }

  it('refuses what NpzSortingExtractor.write_sorting cannot write: string ids with an empty unit', () => {
    expect(() => npzSortingBytes({ samplingFrequency: 1, unitIds: ['a', 'b'], segments: [[[1], []]] })).toThrow(/cannot write string unit ids when a unit has no spikes/);
  });

  it('the fixtures decode (sanity of the base64 itself)', () => {
    expect(new TextDecoder().decode(b64(SI_FIXTURES.nf_int.files['numpysorting_info.json']))).toBe('{"sampling_frequency": 30000.0, "unit_ids": [0, 3, 7], "num_segments": 2}');
  });
});
