import { z } from 'zod';
import { dtypes } from './ndarray';

/**
 * The bytes of a chunk in the private bucket: `SVC1`, a little-endian uint32 header length, the JSON
 * header, then the payload. Binary payloads (traces, snippets) travel raw — no base64, no JSON of
 * numbers — and the header says how to read them. A chunk the relay could not produce is an `error`
 * chunk: the worker turns it into the task's error message.
 */
const MAGIC = [0x53, 0x56, 0x43, 0x31]; // "SVC1"

export const chunkHeaderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ndarray'), dtype: z.enum(dtypes), shape: z.array(z.number().int().nonnegative()) }),
  z.object({ kind: z.literal('json') }),
  /** Spike trains: payload = float64 frames of each unit in `unitIds` order, `spikeCounts` long each. */
  z.object({
    kind: z.literal('sorting'),
    sampleRateHz: z.number().positive(),
    unitIds: z.array(z.number().int()),
    spikeCounts: z.array(z.number().int().nonnegative()),
    initialLabels: z.record(z.string(), z.array(z.string())).optional(),
  }),
  /**
   * Snippet sums: payload = float64 sums `[groups][numSamples][numChannels]`, then (with `detailDtype`)
   * each group's snippets on its detail channel, `[counts[g]][numSamples]` per group in that dtype.
   */
  z.object({
    kind: z.literal('snippetSums'),
    numSamples: z.number().int().nonnegative(),
    numChannels: z.number().int().nonnegative(),
    counts: z.array(z.number().int().nonnegative()),
    detailDtype: z.enum(['int16', 'float32']).optional(),
  }),
  z.object({ kind: z.literal('bytes') }),
  /**
   * A chunk the relay could not produce. `errorKind` (relay/data/errors.ts): `input` = the data or the
   * request is wrong as it stands; `transient` = it failed for now (I/O, a store file not there yet) after
   * the relay's own retries. Neither is final: the worker asks again for one older than the backoff.
   * Absent in chunks of older relays: read as input.
   */
  z.object({ kind: z.literal('error'), message: z.string(), errorKind: z.enum(['input', 'transient']).optional() }),
]);
export type ChunkHeader = z.infer<typeof chunkHeaderSchema>;

export function encodeChunk(header: ChunkHeader, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + payload.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, h.length, true);
  out.set(h, 8);
  out.set(payload, 8 + h.length);
  return out;
}

export function decodeChunk(bytes: Uint8Array): { header: ChunkHeader; payload: Uint8Array } {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('Not a sortingview chunk (bad magic)');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + len > bytes.length) throw new Error('Truncated chunk header');
  let header: ChunkHeader;
  try {
    header = chunkHeaderSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))));
  } catch (err) {
    throw new Error(`Malformed chunk header: ${(err as Error).message}`, { cause: err });
  }
  return { header, payload: bytes.subarray(8 + len) };
}

export const jsonChunk = (value: unknown) => encodeChunk({ kind: 'json' }, new TextEncoder().encode(JSON.stringify(value)));
export type ChunkErrorKind = 'input' | 'transient';
export const errorChunk = (message: string, errorKind: ChunkErrorKind = 'input') => encodeChunk({ kind: 'error', message, errorKind });

/** Whether stored chunk bytes are an error chunk (cheap: only the header is parsed, the payload is a view). */
export function isErrorChunk(bytes: Uint8Array): boolean {
  try {
    return decodeChunk(bytes).header.kind === 'error';
  } catch {
    return false;
  }
}
