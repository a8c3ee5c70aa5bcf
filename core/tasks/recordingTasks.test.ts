// recording_info.3 on recordings whose first second is more than one relay chunk (NP2.0 quad-base:
// 1536 channels): the noise block shrinks to what one chunk holds, and the noise level stays right.
import { describe, expect, it } from 'vitest';
import { noiseLevels } from '../kernels/waveforms';
import type { RecordingInfoChunk } from '../protocol/recordingInfoChunk';
import { recordingInfoTask } from './recordingTasks';
import { FakeRelay, REC_URI, runRounds } from './views/testing/fakeRelay';
import { RELAY_MAX_CHUNK_BYTES } from './views/limits';

function recording(numChannels: number, dtype: 'int16' | 'float32', numFrames: number): { relay: FakeRelay; traces: Int16Array | Float32Array } {
  const info: RecordingInfoChunk = {
    sampleRateHz: 30000, numFrames, channelIds: Array.from({ length: numChannels }, (_, i) => i), channelGroups: new Array(numChannels).fill(0),
    geom: Array.from({ length: numChannels }, (_, i): [number, number] => [(i % 4) * 16, Math.floor(i / 4) * 15]), dtype, gainUvPerBit: 0.195, filters: [],
  };
  const traces = dtype === 'int16' ? new Int16Array(numFrames * numChannels) : new Float32Array(numFrames * numChannels);
  // Noise of σ ≈ 10 (a sum of uniforms) with a DC offset per channel, deterministic.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < traces.length; i++) traces[i] = Math.round((rand() + rand() + rand() - 1.5) * 20) + (i % numChannels);
  const relay = new FakeRelay();
  relay.recordings.set(REC_URI, { info, traces });
  return { relay, traces };
}

describe('recording_info.3 on many channels', () => {
  it.each([
    [1536, 'int16' as const, Math.floor(RELAY_MAX_CHUNK_BYTES / 2 / 1536)],
    [600, 'float32' as const, Math.floor(RELAY_MAX_CHUNK_BYTES / 4 / 600)],
    [384, 'int16' as const, 30000],
  ])('%i %s channels: the noise block is %i frames, one chunk under the relay cap', async (numChannels, dtype, frames) => {
    const { relay, traces } = recording(numChannels, dtype, 36000);
    const { result, rounds } = await runRounds(recordingInfoTask, { recording_uri: REC_URI }, relay);
    const tracesSpecs = rounds.flat().filter((s) => s.type === 'traces');
    expect(tracesSpecs).toEqual([{ type: 'traces', recording: REC_URI, startFrame: 0, endFrame: frames, channelIds: Array.from({ length: numChannels }, (_, i) => i) }]);
    const levels = Array.from(noiseLevels(traces.subarray(0, frames * numChannels), numChannels)).sort((a, b) => a - b);
    expect((result as { noise_level: number }).noise_level).toBeCloseTo((levels[(numChannels - 1) >> 1]! + levels[numChannels >> 1]!) / 2, 9);
    expect((result as { channel_ids: number[] }).channel_ids).toHaveLength(numChannels);
  }, 60_000);
});

describe('recording_info.3 gains', () => {
  it('reports per-channel gains when the channels differ (NP1.0 imroTbl), and one gain otherwise', async () => {
    const { relay } = recording(4, 'int16', 3000);
    const rec = relay.recordings.get(REC_URI)!;
    expect(await runRounds(recordingInfoTask, { recording_uri: REC_URI }, relay).then((r) => r.result)).toMatchObject({ gain_uv_per_bit: 0.195 });
    rec.info = { ...rec.info, gainUvPerBit: null, channelGainsUvPerBit: [2.34375, 4.6875, 2.34375, 9.375] };
    const { result } = await runRounds(recordingInfoTask, { recording_uri: REC_URI }, relay);
    expect(result).toMatchObject({ gain_uv_per_bit: null, channel_gains_uv_per_bit: [2.34375, 4.6875, 2.34375, 9.375] });
  });
});

describe('recording_info.3 without traces (a SortingAnalyzer whose recording is gone)', () => {
  it('takes the noise level from the format\'s own noise levels and reads no traces', async () => {
    const { relay } = recording(4, 'int16', 3000);
    const rec = relay.recordings.get(REC_URI)!;
    rec.info = { ...rec.info, tracesAvailable: false, noiseLevels: [4, 1, 3, 2] };
    const { result, rounds } = await runRounds(recordingInfoTask, { recording_uri: REC_URI }, relay);
    expect(rounds.flat().filter((s) => s.type === 'traces')).toEqual([]);
    expect((result as { noise_level: number }).noise_level).toBe(2.5);
  });

  it('still asks for traces when there are no noise levels, or the traces are there (the relay then says why or serves them)', async () => {
    const { relay } = recording(4, 'int16', 3000);
    const rec = relay.recordings.get(REC_URI)!;
    for (const extra of [{ tracesAvailable: false, noiseLevels: null }, { tracesAvailable: true, noiseLevels: [9, 9, 9, 9] }]) {
      rec.info = { ...rec.info, ...extra };
      const { result, rounds } = await runRounds(recordingInfoTask, { recording_uri: REC_URI }, relay);
      expect(rounds.flat().filter((s) => s.type === 'traces')).toHaveLength(1);
      expect((result as { noise_level: number }).noise_level).not.toBe(9);
    }
  });
});
