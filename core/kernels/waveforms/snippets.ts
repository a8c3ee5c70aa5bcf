import { EmptyUnitError } from './errors';

/**
 * Snippets as the relay gathers them: `[spikes][before+after][channels]`, C order, for a subset of
 * the recording's channels (the chunk's `channelIds`), in the raw dtype of the recording. Keeping the
 * relay's layout avoids a transpose of the largest array a task handles.
 */
export type SampleArray = Int16Array | Float32Array | Float64Array;

export interface Snippets {
  data: SampleArray;
  numSpikes: number;
  /** before + after, in frames. */
  numSamples: number;
  numChannels: number;
}

/** Frames before and after the spike frame: the window is [t − before, t + after). */
export type SnippetLen = readonly [before: number, after: number];

export function makeSnippets(data: SampleArray, numSamples: number, numChannels: number): Snippets {
  const perSpike = numSamples * numChannels;
  if (!Number.isInteger(numSamples) || !Number.isInteger(numChannels) || numSamples < 1 || numChannels < 0 ||
      (perSpike === 0 ? data.length !== 0 : data.length % perSpike !== 0)) {
    throw new RangeError(`snippets: ${data.length} values do not form [spikes][${numSamples}][${numChannels}]`);
  }
  return { data, numSpikes: perSpike === 0 ? 0 : data.length / perSpike, numSamples, numChannels };
}

/**
 * Cut snippets out of a block of traces `[frames][numChannels]` that starts at `blockStartFrame`:
 * what the relay does for a `snippets` chunk, here for tests and for any host holding the traces.
 * Windows must lie inside the block: the kernels never zero-pad (2021 did; a padded snippet biases
 * the mean towards zero near the ends of the recording).
 */
export function extractSnippets(
  traces: SampleArray, numChannels: number, blockStartFrame: number,
  frames: ArrayLike<number>, snippetLen: SnippetLen, channelIndices?: ArrayLike<number>,
): Snippets {
  const [before, after] = snippetLen;
  const T = before + after;
  const blockFrames = traces.length / numChannels;
  const cols = channelIndices ?? Int32Array.from({ length: numChannels }, (_, i) => i);
  const C = cols.length;
  const out = new (traces.constructor as new (n: number) => SampleArray)(frames.length * T * C);
  for (let s = 0; s < frames.length; s++) {
    const start = frames[s] - before - blockStartFrame;
    if (start < 0 || start + T > blockFrames || !Number.isInteger(start)) {
      throw new RangeError(`extractSnippets: the window of frame ${frames[s]} leaves the block ` +
        `[${blockStartFrame}, ${blockStartFrame + blockFrames})`);
    }
    for (let t = 0; t < T; t++) {
      const src = (start + t) * numChannels;
      const dst = (s * T + t) * C;
      for (let c = 0; c < C; c++) out[dst + c] = traces[src + cols[c]];
    }
  }
  return makeSnippets(out, T, C);
}

/** Rows (spikes) and columns (channels) of snippets, copied into a new Float64 block. */
export function selectSnippets(s: Snippets, rows?: ArrayLike<number>, cols?: ArrayLike<number>): Snippets {
  const R = rows ?? Int32Array.from({ length: s.numSpikes }, (_, i) => i);
  const K = cols ?? Int32Array.from({ length: s.numChannels }, (_, i) => i);
  const T = s.numSamples;
  const out = new Float64Array(R.length * T * K.length);
  for (let i = 0; i < R.length; i++) {
    for (let t = 0; t < T; t++) {
      const src = (R[i] * T + t) * s.numChannels;
      const dst = (i * T + t) * K.length;
      for (let c = 0; c < K.length; c++) out[dst + c] = s.data[src + K[c]];
    }
  }
  return makeSnippets(out, T, K.length);
}

/**
 * Mean snippet over spikes, `[T][C]` in float64 (an int16 sum over 1000 spikes would overflow).
 * Throws EmptyUnitError for zero spikes: a mean of nothing is not a waveform.
 */
export function meanSnippet(s: Snippets, what = 'The unit'): Float64Array {
  if (s.numSpikes === 0) throw new EmptyUnitError(what);
  const n = s.numSamples * s.numChannels;
  const mean = new Float64Array(n);
  for (let i = 0; i < s.numSpikes; i++) {
    const off = i * n;
    for (let j = 0; j < n; j++) mean[j] += s.data[off + j];
  }
  for (let j = 0; j < n; j++) mean[j] /= s.numSpikes;
  return mean;
}
