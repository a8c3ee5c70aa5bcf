import { describe, expect, it } from 'vitest';
import { rawFallbackNotice, tracesErrorText } from './messages';

describe('traces messages', () => {
  it('says a refused filtered zoom level in the user\'s terms, without task parameters', () => {
    const worker = "A filtered segment at ds_factor 729 would read and filter 73063296 raw values (cap 67108864): zoom in, or ask for this zoom level with filter 'none'";
    const text = tracesErrorText(worker, true);
    expect(text).toMatch(/zoom in/);
    expect(text).not.toMatch(/ds_factor|cap|67108864|filter 'none'/);
    expect(tracesErrorText('A segment of 9000 frames on 1000 channels is 9000000 values; at most 4000000: use segment_size ≤ 4000', false)).not.toMatch(/segment_size/);
  });

  it('passes messages about the data through', () => {
    expect(tracesErrorText('The relay of backend "lab" is not running', true)).toBe('The relay of backend "lab" is not running');
  });

  it('the raw-fallback notice names the widest filtered window', () => {
    expect(rawFallbackNotice(19.04)).toBe('Filtered view not available at this zoom; showing raw. Zoom in to 19 s or less to see filtered traces.');
    expect(rawFallbackNotice(456)).toMatch(/7 min or less/);
  });
});
