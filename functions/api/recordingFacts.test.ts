import { describe, expect, it } from 'vitest';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { taskHash, taskResultPath } from '../../core/protocol';
import { cachedRecordingFacts } from './recordingFacts';

const R = `sha1://${'cd'.repeat(20)}/rec.json`;
const path = taskResultPath('lab', taskHash('recording_info.3', { recording_uri: R }));

describe('recording facts for cost estimates', () => {
  it('reads the cached recording_info.3 result; absent is not remembered, present is', async () => {
    const store = memoryBlobStore();
    const facts = cachedRecordingFacts(store);
    expect(await facts('lab', R)).toBeNull();
    await store.write(path, JSON.stringify({
      sampling_frequency: 30000, channel_ids: [0, 1, 2, 3], channel_groups: [0, 0, 0, 0], geom: [[0, 0], [0, 1], [0, 2], [0, 3]],
      num_frames: 1000, noise_level: 5, gain_uv_per_bit: null, recording_object: { recording_format: 'bin1' },
    }));
    expect(await facts('lab', R)).toEqual({ numChannels: 4, numFrames: 1000, hasOwnFilters: false });
    await store.delete(path);
    expect(await facts('lab', R)).toEqual({ numChannels: 4, numFrames: 1000, hasOwnFilters: false });
    expect(await facts('other', R)).toBeNull();
  });
});
