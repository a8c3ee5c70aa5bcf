import { describe, expect, it } from 'vitest';
import { describeKwargs } from './taskArgs';

describe('describeKwargs', () => {
  it('puts the unit id first and cuts data URIs to their file names, so rows are told apart at a glance', () => {
    const kwargs = {
      recording_uri: `sha1://${'a'.repeat(40)}/spikeglx-recording.json`, sorting_uri: `sha1://${'b'.repeat(40)}/kilosort-sorting.json`,
      snippet_len: [50, 80], unit_id: 117, channel_ids: null,
    };
    expect(describeKwargs(kwargs)).toBe('channel_ids null · snippet_len [50,80] · unit_id 117 · recording_uri spikeglx-recording.json · sorting_uri kilosort-sorting.json');
  });

  it('keeps long plain arguments readable but bounded', () => {
    const text = describeKwargs({ unit_ids: Array.from({ length: 500 }, (_, i) => i) });
    expect(text.startsWith('unit_ids [0,1,2,')).toBe(true);
    expect(text.length).toBe(241);
    expect(text.endsWith('…')).toBe(true);
  });
});
