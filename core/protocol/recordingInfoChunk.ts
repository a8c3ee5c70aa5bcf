import { z } from 'zod';

/**
 * The relay's `recordingInfo` chunk (relay/chunks/formatChunks.ts writes it from the format reader's
 * RecordingInfo plus the recording's filters). The worker parses it with this schema, so a relay of
 * another version fails with a message instead of feeding the kernels `undefined`.
 */
export const recordingInfoChunkSchema = z.object({
  sampleRateHz: z.number().positive(),
  numFrames: z.number().int().nonnegative(),
  channelIds: z.array(z.number().int()),
  channelGroups: z.array(z.number()),
  geom: z.array(z.tuple([z.number(), z.number()])),
  dtype: z.enum(['int16', 'float32']),
  /** One gain for every channel, or null: then per channel (`channelGainsUvPerBit`) or raw units. */
  gainUvPerBit: z.number().nullable(),
  /** µV per bit of each channel, in channelIds order, when they differ (NP1.0 imroTbl gains). */
  channelGainsUvPerBit: z.array(z.number()).optional(),
  /**
   * A noise level per channel (served units) that the format already has: a SortingAnalyzer's
   * `noise_levels` extension. Used when `tracesAvailable` is false, so recording_info.3 needs no traces.
   */
  noiseLevels: z.array(z.number().nonnegative()).nullable().optional(),
  /** false: the recording's traces are gone (an analyzer whose recording.json names missing files). */
  tracesAvailable: z.boolean().optional(),
  /**
   * The recording's own average waveforms per unit (a SortingAnalyzer's `templates` extension), served
   * as `templates` chunks for the analyzer's sorting: `nbefore` of `numSamples` before the spike.
   */
  templates: z.object({
    nbefore: z.number().int().nonnegative(), numSamples: z.number().int().positive(), units: z.enum(['uV', 'raw']),
    /** Spikes each template averages at most (SpikeInterface's random_spikes), null: every spike. */
    maxSpikesPerUnit: z.number().int().positive().nullable(),
  }).optional(),
  /** Every spike's amplitude stored with the recording (a SortingAnalyzer's `spike_amplitudes`), served as `spikeAmplitudes` chunks. */
  spikeAmplitudes: z.object({ units: z.enum(['uV', 'raw']) }).optional(),
  // A relay before filters were served sent none (not hashed, so a default is harmless here).
  filters: z.array(z.object({ type: z.literal('bandpass_filter'), freqMinHz: z.number(), freqMaxHz: z.number(), freqWidHz: z.number() })).default([]),
}).refine((i) => i.geom.length === i.channelIds.length && i.channelGroups.length === i.channelIds.length, 'geom and channelGroups must have one entry per channel id');
export type RecordingInfoChunk = z.infer<typeof recordingInfoChunkSchema>;

/** The chunk's payload, checked: a relay of another version gets a message that says so. */
export function parseRecordingInfoChunk(payload: Uint8Array): RecordingInfoChunk {
  const r = recordingInfoChunkSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
  if (r.success) return r.data;
  const where = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
  throw new Error(`The relay sent recording info this worker cannot read (${where}): run the same sortingview version for the relay and the deployment`);
}
