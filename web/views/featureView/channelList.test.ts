import { describe, expect, it } from 'vitest';
import { parseChannelList } from './channelList';

const known = Array.from({ length: 32 }, (_, i) => i);

describe('parseChannelList', () => {
  it('ids in the order typed, commas, spaces and ranges', () => {
    expect(parseChannelList('12, 3 7', known)).toEqual({ ids: [12, 3, 7] });
    expect(parseChannelList('4-6,1', known)).toEqual({ ids: [4, 5, 6, 1] });
    expect(parseChannelList('  ', known)).toEqual({ ids: null });
  });

  it('refuses what the task would refuse, saying why', () => {
    expect(parseChannelList('1, 1', known)).toEqual({ error: 'a channel is listed twice' });
    expect(parseChannelList('0-15', known)).toEqual({ error: '0-15: not a range of at most 15 channels' });
    expect(parseChannelList('0-9 10-15', known)).toEqual({ error: 'at most 15 channels (16 listed)' });
    expect(parseChannelList('3, 40', known)).toEqual({ error: 'not a channel of the recording: 40' });
    expect(parseChannelList('ch3', known)).toEqual({ error: 'ch3 is not a channel id' });
    expect(parseChannelList('40', null)).toEqual({ ids: [40] });
  });
});
