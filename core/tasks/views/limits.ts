import { MAX_CHUNKS_PER_REQUEST } from '../../protocol/messages';

/**
 * Caps of the view tasks. A task never asks for a whole recording: every request is planned first,
 * and a plan above these caps is refused with a TaskError that says what to change, before any
 * chunk is asked for. Sizes are in sample values (int16: 2 bytes, float32: 4 bytes).
 */

/**
 * Largest chunk the relay produces (relay/chunks/formatChunks.ts MAX_CHUNK_BYTES, 64 MiB); bigger
 * gathers are split. Mirrored here because core does not import the relay.
 */
export const RELAY_MAX_CHUNK_BYTES = 64 * 1024 * 1024;
/** Spikes per `snippets` chunk: keeps each chunk spec (a JSON list of frames) well under 1 MB. */
export const MAX_SPIKES_PER_CHUNK = 50_000;
/** Chunk specs per round: one relay message (DESIGN.md `sortingview-relay`) carries at most this many. */
export const MAX_CHUNKS_PER_ROUND = MAX_CHUNKS_PER_REQUEST;
/**
 * Spike frames listed per round over all chunk specs. They travel in one Pub/Sub message (10 MB
 * limit), at most ~11 bytes each.
 */
export const MAX_FRAMES_PER_ROUND = 500_000;
/**
 * Values held at once by a task: chunks are consumed in batches of at most this many values
 * (≤ 64 MiB int16 / 128 MiB float32), each reduced before the next is fetched.
 */
export const MAX_BATCH_VALUES = 32 * 1024 * 1024;
/**
 * Values gathered per round (all batches together; ≈ 512 MiB of int16 through the private bucket).
 * Units-table tasks over many units sample fewer spikes per unit to fit (see unitWaveforms.ts);
 * single-unit tasks never come near it.
 */
export const MAX_ROUND_VALUES = 256 * 1024 * 1024;

/** snippet_len: before + after, in frames (33 ms at 30 kHz; 2021's default is 50 + 80). */
export const MAX_SNIPPET_FRAMES = 1000;
/** Members of one merge group in a kwarg. */
export const MAX_MERGE_GROUP_SIZE = 200;
/** Units (or merge groups) listed in one kwarg (`unit_ids`). */
export const MAX_LISTED_UNITS = 5000;

/** fetch_spike_amplitudes.1: spikes of one unit or merge group (every spike is gathered: frames travel in one message). */
export const MAX_AMPLITUDE_SPIKES = MAX_FRAMES_PER_ROUND;

/** get_timeseries_segment.1: channels × segment_size (the result holds 1× or 2× that many f32). */
export const MAX_SEGMENT_VALUES = 4_000_000;
/**
 * get_timeseries_segment.1 with a filter and ds_factor > 1: raw frames × channels read (and filtered)
 * to reduce one segment. At 384 channels and segment_size ceil(1e5 / 384) this allows ds_factor ≤ 243.
 */
export const MAX_FILTERED_SEGMENT_RAW_VALUES = 64 * 1024 * 1024;
/**
 * Raw values per `traces` piece of a filtered segment: the filter works on a float64 copy (64 MiB
 * at this size), so a segment is read and filtered in pieces of at most this many values.
 */
export const MAX_FILTER_PIECE_VALUES = 8 * 1024 * 1024;

export const bytesPerSample = (dtype: 'int16' | 'float32') => (dtype === 'int16' ? 2 : 4);
export const maxChunkValues = (dtype: 'int16' | 'float32') => Math.floor(RELAY_MAX_CHUNK_BYTES / bytesPerSample(dtype));
