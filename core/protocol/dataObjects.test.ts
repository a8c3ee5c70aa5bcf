import { describe, expect, it } from 'vitest';
import { DataObjectError, isRecordingObject, isSortingObject, parseRecordingObject, parseSortingObject, recordingObjectSchema } from './dataObjects';

const bin1 = {
  recording_format: 'bin1',
  data: {
    raw: 'sha1://0123456789abcdef0123456789abcdef01234567/raw.dat', raw_num_channels: 4, num_frames: 1000, samplerate: 30000,
    channel_ids: [0, 1], channel_map: { 0: 0, 1: 2 }, channel_positions: { 0: [0, 0], 1: [0, 20] },
  },
};

describe('recording objects', () => {
  it('parses every format with its 2021 field names', () => {
    const objs = [
      bin1,
      { recording_format: 'bin2', data: { ...bin1.data, dtype: 'float32' } },
      { recording_format: 'mda', data: { raw: 'sha1://x/raw.mda', geom: [[0, 0], [0, 20]], params: { samplerate: 30000, spike_sign: -1 } } },
      { recording_format: 'nwb', data: { path: '/d/a.nwb', electrical_series_name: 'ElectricalSeriesAP' } },
      { recording_format: 'h5_v1', data: { h5_uri: 'sha1://x/r.h5' } },
      { recording_format: 'subrecording', data: { recording: bin1, channel_ids: [1], start_frame: 10, end_frame: 20 } },
      { recording_format: 'subrecording', data: { recording: bin1, group: 0 } },
      { recording_format: 'filtered', data: { recording: bin1, filters: [{ type: 'bandpass_filter', freq_min: 300, freq_max: 6000, freq_wid: 1000 }] } },
      { recording_format: 'spikeglx', data: { bin_path: '/d/r.ap.bin', meta_path: '/d/r.ap.meta' } },
      { recording_format: 'openephys', data: { folder: '/d/rec1', stream: 'ProbeA-AP' } },
      { recording_format: 'si_binary_folder', data: { folder: '/d/si' } },
    ];
    for (const o of objs) expect(parseRecordingObject(o)).toEqual(o);
    expect(objs.every(isRecordingObject)).toBe(true);
  });

  it('keeps unknown keys so an object hashes the same after parsing', () => {
    const o = { ...bin1, label: 'x', data: { ...bin1.data, extra: 1 } };
    expect(recordingObjectSchema.parse(o)).toEqual(o);
  });

  it('normalizes 2021 legacy inputs', () => {
    expect(parseRecordingObject('/d/a.nwb')).toEqual({ recording_format: 'nwb', data: { path: '/d/a.nwb' } });
    expect(parseRecordingObject({ path: '/d/a.nwb' })).toEqual({ recording_format: 'nwb', data: { path: '/d/a.nwb' } });
    expect(parseRecordingObject({ raw: 'sha1://x/raw.mda', geom: [[0, 0]], params: { samplerate: 1 } }).recording_format).toBe('mda');
    expect(parseRecordingObject({ recording: bin1, filters: [] }).recording_format).toBe('filtered');
    expect(parseRecordingObject({ recording: bin1, group: 2 }).recording_format).toBe('subrecording');
  });

  it('says what is wrong', () => {
    expect(() => parseRecordingObject({ recording_format: 'in_memory', data: {} })).toThrow(DataObjectError);
    expect(() => parseRecordingObject({ recording_format: 'bin2', data: { ...bin1.data, dtype: 'int8' } })).toThrow(/data.dtype/);
    expect(() => parseRecordingObject({ recording_format: 'subrecording', data: { recording: bin1, group: 1, channel_ids: [0] } })).toThrow(/channel_ids or group, not both/);
    expect(() => parseRecordingObject({ recording_format: 'openephys', data: {} })).toThrow(/folder or oebin_path/);
    expect(() => parseRecordingObject({ recording_format: 'subrecording', data: { recording: { recording_format: 'mda', data: {} } } })).toThrow(/data.recording/);
    expect(() => parseRecordingObject({ recording_format: 'subrecording', data: { recording: bin1, start_frame: 5, end_frame: 2 } })).toThrow(/start_frame is after end_frame/);
  });
});

describe('sorting objects', () => {
  it('parses every format and the bare 2021 mda sorting', () => {
    const mda = { sorting_format: 'mda', data: { firings: 'sha1://x/firings.mda', samplerate: 30000 } };
    const objs = [
      mda,
      { sorting_format: 'npy1', data: { times_npy_uri: 'sha1://x/t.npy', labels_npy_uri: 'sha1://x/l.npy', samplerate: 30000 } },
      { sorting_format: 'npy2', data: { npz_uri: 'sha1://x/s.npz' } },
      { sorting_format: 'h5_v1', data: { h5_path: 'sha1://x/s.h5' } },
      { sorting_format: 'nwb', data: { path: '/d/a.nwb' } },
      { sorting_format: 'curated', data: { sorting: mda, merge_groups: [[1, 2]] } },
      { sorting_format: 'subsorting', data: { sorting: mda, start_frame: 0, end_frame: 100, unit_ids: [1] } },
      { sorting_format: 'phy', data: { folder: '/d/ks' } },
    ];
    for (const o of objs) expect(parseSortingObject(o)).toEqual(o);
    expect(objs.every(isSortingObject)).toBe(true);
    expect(parseSortingObject({ firings: 'sha1://x/firings.mda', samplerate: 20000 })).toEqual({ sorting_format: 'mda', data: { firings: 'sha1://x/firings.mda', samplerate: 20000 } });
    expect(parseSortingObject({ firings: 'sha1://x/firings.mda' })).toEqual({ sorting_format: 'mda', data: { firings: 'sha1://x/firings.mda' } });
  });

  it('says what is wrong', () => {
    expect(() => parseSortingObject({ sorting_format: 'curated', data: { sorting: {}, merge_groups: [] } })).toThrow(/Not a sorting object/);
    expect(() => parseSortingObject({ sorting_format: 'in_memory', data: {} })).toThrow(/not supported/);
    expect(() => parseSortingObject({ sorting_format: 'npy1', data: { times_npy_uri: 'a', labels_npy_uri: 'b' } })).toThrow(/data.samplerate/);
  });
});
