import { describe, expect, it } from 'vitest';
import { parseRecordingInfoChunk } from './recordingInfoChunk';

const good = {
  sampleRateHz: 30000, numFrames: 100, channelIds: [0, 1], channelGroups: [0, 0], geom: [[0, 0], [0, 20]],
  dtype: 'int16', gainUvPerBit: 0.195, sourceDtype: 'int16', filters: [],
};
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('the relay\'s recordingInfo chunk', () => {
  it('parses what the relay writes (extra fields such as sourceDtype are dropped; filters default to none)', () => {
    const { filters: _, ...old } = good;
    expect(parseRecordingInfoChunk(bytes(old))).toEqual({ ...old, sourceDtype: undefined, filters: [] });
    expect(parseRecordingInfoChunk(bytes(good))).not.toHaveProperty('sourceDtype');
  });

  it('refuses another shape with a message that says what to do, not undefined in the kernels', () => {
    expect(() => parseRecordingInfoChunk(bytes({ ...good, numFrames: '100' }))).toThrow(/numFrames: .*run the same sortingview version for the relay and the deployment/);
    expect(() => parseRecordingInfoChunk(bytes({ ...good, geom: [[0, 0]] }))).toThrow(/one entry per channel id/);
    expect(() => parseRecordingInfoChunk(bytes({ ...good, dtype: 'float64' }))).toThrow(/dtype/);
  });
});
