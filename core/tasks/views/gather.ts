import { NeedChunks, type Chunk } from '../../data/dataSource';
import { ndarrayOfChunk } from '../../data/decode';
import { snippetSumsOfChunk } from '../../data/snippetSums';
import { makeSnippets, uniqueSorted, type BandpassFilter, type Snippets } from '../../kernels/waveforms';
import type { ChunkSpec } from '../../protocol/messages';
import type { TaskContext } from '../types';
import { TaskError } from '../../taskError';
import { applyFilters } from './filters';
import { MAX_BATCH_VALUES, MAX_CHUNKS_PER_ROUND, MAX_FRAMES_PER_ROUND, MAX_ROUND_VALUES, MAX_SPIKES_PER_CHUNK, maxChunkValues, RELAY_MAX_CHUNK_BYTES } from './limits';

/**
 * Planned `snippets` gathers: what a round asks the relay for, split so that no chunk, batch or
 * round exceeds the caps of limits.ts, and consumed batch by batch so a task holds one batch at a time.
 *
 * A member is one unit's (or merge group's) spike frames on the channels it needs. Members are
 * packed in the order given into pieces: one piece = one set of channels and the sorted union of its
 * members' frames, gathered by one or more chunks (split by spikes). Members whose channels overlap
 * share a piece while the union stays within `maxPieceChannels`, which keeps a units-table round to
 * a few dozen chunks instead of one per unit. Pieces are packed into batches of ≤ MAX_BATCH_VALUES.
 */
export interface GatherMember {
  /** Sorted spike frames (a merge group may list a frame twice). */
  frames: Float64Array;
  /** The channels the member's snippets have, in this order. */
  channelIds: readonly number[];
}

type SnippetsSpec = Extract<ChunkSpec, { type: 'snippets' }>;

export interface Piece {
  channelIds: number[];
  /** Sorted unique frames gathered. */
  frames: Float64Array;
  chunks: SnippetsSpec[];
  members: number[];
  values: number;
}

export interface GatherPlan {
  /** Frames gathered on each side of a spike frame (a snippet filtered on its own includes its margin). */
  before: number;
  after: number;
  pieces: Piece[];
  /** Pieces consumed together. */
  batches: number[][];
  /** Piece and column of each member's channels in it (-1 when the member has no frames). */
  memberPiece: Int32Array;
  memberCols: Int32Array[];
  totalValues: number;
  totalFrames: number;
  numChunks: number;
}

export function planGather(args: {
  recording: string; dtype: 'int16' | 'float32'; before: number; after: number;
  members: readonly GatherMember[]; maxPieceChannels: number;
}): GatherPlan {
  const { recording, before, after, members } = args;
  const T = before + after;
  const pieces: Piece[] = [];
  const memberPiece = new Int32Array(members.length).fill(-1);
  const memberCols: Int32Array[] = members.map(() => new Int32Array(0));
  let cur: { channels: number[]; set: Set<number>; members: number[]; frameBound: number } | null = null;
  const close = () => {
    if (!cur) return;
    const frames = uniqueSorted(cur.members.map((m) => members[m].frames));
    const C = cur.channels.length;
    const perChunk = Math.min(MAX_SPIKES_PER_CHUNK, Math.floor(maxChunkValues(args.dtype) / (T * C)));
    if (perChunk < 1) throw new TaskError(`One snippet of ${T} frames on ${C} channels exceeds the relay's chunk size: use a shorter snippet_len`);
    const chunks: SnippetsSpec[] = [];
    for (let i = 0; i < frames.length; i += perChunk) {
      chunks.push({ type: 'snippets', recording, frames: Array.from(frames.subarray(i, i + perChunk)), channelIds: [...cur.channels], before, after });
    }
    const index = pieces.length;
    for (const m of cur.members) {
      memberPiece[m] = index;
      const colOf = new Map(cur.channels.map((id, c) => [id, c]));
      memberCols[m] = Int32Array.from(members[m].channelIds, (id) => colOf.get(id)!);
    }
    pieces.push({ channelIds: cur.channels, frames, chunks, members: cur.members, values: frames.length * T * C });
    cur = null;
  };
  members.forEach((m, i) => {
    if (m.frames.length === 0) return;
    const own = m.frames.length * T * m.channelIds.length;
    if (own > MAX_BATCH_VALUES) throw new TaskError(`A gather of ${m.frames.length} snippets of ${T} frames on ${m.channelIds.length} channels exceeds the per-batch cap of ${MAX_BATCH_VALUES} values`);
    if (cur) {
      const added = m.channelIds.filter((id) => !cur!.set.has(id));
      const channels = cur.channels.length + added.length;
      const fits = channels <= Math.max(args.maxPieceChannels, cur.channels.length) && (cur.frameBound + m.frames.length) * T * channels <= MAX_BATCH_VALUES;
      if (fits) {
        for (const id of added) { cur.channels.push(id); cur.set.add(id); }
        cur.members.push(i);
        cur.frameBound += m.frames.length;
        return;
      }
      close();
    }
    cur = { channels: [...m.channelIds], set: new Set(m.channelIds), members: [i], frameBound: m.frames.length };
  });
  close();

  const batches: number[][] = [];
  let batchValues = Infinity;
  pieces.forEach((p, i) => {
    if (batchValues + p.values > MAX_BATCH_VALUES) { batches.push([]); batchValues = 0; }
    batches[batches.length - 1].push(i);
    batchValues += p.values;
  });
  return {
    before, after, pieces, batches, memberPiece, memberCols,
    totalValues: pieces.reduce((n, p) => n + p.values, 0),
    totalFrames: pieces.reduce((n, p) => n + p.frames.length, 0),
    numChunks: pieces.reduce((n, p) => n + p.chunks.length, 0),
  };
}

/** Why a plan cannot be asked for in one round, or null when it fits the caps. */
export function planOverCaps(plan: GatherPlan, maxRoundValues = MAX_ROUND_VALUES): string | null {
  if (plan.totalValues > maxRoundValues) return `${plan.totalValues} sample values (cap ${maxRoundValues})`;
  if (plan.numChunks > MAX_CHUNKS_PER_ROUND) return `${plan.numChunks} chunks (cap ${MAX_CHUNKS_PER_ROUND})`;
  if (plan.totalFrames > MAX_FRAMES_PER_ROUND) return `${plan.totalFrames} spike frames (cap ${MAX_FRAMES_PER_ROUND})`;
  return null;
}

/**
 * Asks for every chunk of the plan (one NeedChunks listing all that are missing: one round) and
 * hands each piece's snippets `[spikes][before+after][channels]`, in its frames' order, to `onPiece`,
 * batch by batch. With `filter`, each snippet is first band-passed on its own and its margin cut
 * off, so `onPiece` sees `[spikes][before+after − 2·margin][channels]` float32.
 */
export async function runGather(
  ctx: TaskContext, plan: GatherPlan, onPiece: (piece: Piece, snippets: Snippets, pieceIndex: number) => void,
  filter?: { designs: BandpassFilter[]; marginFrames: number; numFrames: number },
): Promise<void> {
  const missing: ChunkSpec[] = [];
  for (const batch of plan.batches) {
    const specs = batch.flatMap((p) => plan.pieces[p].chunks);
    let chunks: Chunk[];
    try {
      chunks = await ctx.data.require(specs);
    } catch (err) {
      if (err instanceof NeedChunks) { missing.push(...err.specs); continue; }
      throw err;
    }
    if (missing.length) continue; // the task runs again once everything is there
    let k = 0;
    for (const p of batch) {
      const piece = plan.pieces[p];
      const parts = chunks.slice(k, k + piece.chunks.length);
      k += piece.chunks.length;
      let s = assemble(parts, piece, plan.before + plan.after);
      if (filter && filter.designs.length) s = filterSnippets(s, piece.frames, plan.before, filter.marginFrames, filter.designs, filter.numFrames);
      onPiece(piece, s, p);
    }
  }
  if (missing.length) throw new NeedChunks(missing);
}

/** The chunks of a piece, concatenated along spikes. */
function assemble(parts: Chunk[], piece: Piece, T: number): Snippets {
  const C = piece.channelIds.length;
  const arrays = parts.map((c, i) => {
    const { data, shape } = ndarrayOfChunk(c);
    const n = piece.chunks[i].frames.length;
    if (shape.length !== 3 || shape[0] !== n || shape[1] !== T || shape[2] !== C) {
      throw new TaskError(`A snippets chunk has shape [${shape}], expected [${n}, ${T}, ${C}]`);
    }
    return data;
  });
  if (arrays.length === 1) return makeSnippets(arrays[0], T, C);
  const out = new (arrays[0].constructor as new (n: number) => Int16Array | Float32Array)(piece.frames.length * T * C);
  let off = 0;
  for (const a of arrays) { out.set(a, off); off += a.length; }
  return makeSnippets(out, T, C);
}

/**
 * Band-pass each snippet on its own (read with `marginFrames` extra on each side), then cut the
 * margins off. Where a snippet's read touches an end of the recording, the filter does what
 * sosfiltfilt does there.
 */
export function filterSnippets(s: Snippets, frames: Float64Array, gatheredBefore: number, marginFrames: number, designs: BandpassFilter[], numFrames: number): Snippets {
  const T = s.numSamples;
  const C = s.numChannels;
  const Tout = T - 2 * marginFrames;
  if (Tout < 1) throw new TaskError('filterSnippets: the margin leaves no samples');
  const out = new Float32Array(s.numSpikes * Tout * C);
  for (let i = 0; i < s.numSpikes; i++) {
    const f = applyFilters(designs, s.data.subarray(i * T * C, (i + 1) * T * C), C, frames[i] - gatheredBefore, numFrames);
    out.set(f.subarray(marginFrames * C, (marginFrames + Tout) * C), i * Tout * C);
  }
  return makeSnippets(out, Tout, C);
}

/**
 * A `snippetSums` round: the members of `plan`'s pieces as groups of one chunk per piece (more when a
 * piece lists over MAX_SPIKES_PER_CHUNK frames), so the relay sends each member's summed snippets on
 * the piece's channels instead of the snippets. `detailChannelIds[m]` (optional) also brings every
 * snippet of member m on that channel (one of its own).
 */
export interface SumsPlan {
  gather: GatherPlan;
  chunks: SnippetSumsSpec[];
  /** Chunk and group of each member (-1: no frames). */
  memberChunk: Int32Array;
  memberGroup: Int32Array;
  totalFrames: number;
}

type SnippetSumsSpec = Extract<ChunkSpec, { type: 'snippetSums' }>;

export function planSums(gather: GatherPlan, members: readonly GatherMember[], detailChannelIds?: readonly number[]): SumsPlan {
  const chunks: SnippetSumsSpec[] = [];
  const memberChunk = new Int32Array(members.length).fill(-1);
  const memberGroup = new Int32Array(members.length).fill(-1);
  let totalFrames = 0;
  const T = gather.before + gather.after;
  for (const piece of gather.pieces) {
    let cur: SnippetSumsSpec | null = null;
    let frames = 0;
    // A chunk's bytes: float64 sums per group, plus the detail snippets (≤ 4 bytes a value).
    const sumBytes = T * piece.channelIds.length * 8;
    let bytes = 0;
    for (const m of piece.members) {
      const own = members[m].frames.length;
      const ownBytes = sumBytes + (detailChannelIds ? own * T * 4 : 0);
      if (own > MAX_SPIKES_PER_CHUNK || ownBytes > RELAY_MAX_CHUNK_BYTES) throw new TaskError(`A group of ${own} spikes exceeds one chunk (${MAX_SPIKES_PER_CHUNK} spikes, ${RELAY_MAX_CHUNK_BYTES} bytes)`);
      if (!cur || frames + own > MAX_SPIKES_PER_CHUNK || bytes + ownBytes > RELAY_MAX_CHUNK_BYTES) {
        cur = {
          type: 'snippetSums', recording: piece.chunks[0].recording, channelIds: piece.channelIds, before: gather.before, after: gather.after, groups: [],
          ...(detailChannelIds ? { detailChannelIds: [] } : {}),
        };
        chunks.push(cur);
        frames = 0;
        bytes = 0;
      }
      memberChunk[m] = chunks.length - 1;
      memberGroup[m] = cur.groups.length;
      cur.groups.push(Array.from(members[m].frames).sort((a, b) => a - b));
      cur.detailChannelIds?.push(detailChannelIds![m]);
      frames += own;
      bytes += ownBytes;
      totalFrames += own;
    }
  }
  return { gather, chunks, memberChunk, memberGroup, totalFrames };
}

/** Why a sums round cannot be asked for in one round, or null. */
export function sumsOverCaps(plan: SumsPlan): string | null {
  if (plan.chunks.length > MAX_CHUNKS_PER_ROUND) return `${plan.chunks.length} chunks (cap ${MAX_CHUNKS_PER_ROUND})`;
  if (plan.totalFrames > MAX_FRAMES_PER_ROUND) return `${plan.totalFrames} spike frames (cap ${MAX_FRAMES_PER_ROUND})`;
  return null;
}

/** Asks for every chunk of the plan in one round and hands each member's sums (`[T][C]` on its piece's channels) to `onMember`. */
export async function runSums(
  ctx: TaskContext, plan: SumsPlan,
  onMember: (member: number, sums: Float64Array, count: number, detail: Int16Array | Float32Array | undefined) => void,
): Promise<void> {
  const decoded = (await ctx.data.require(plan.chunks)).map((c) => snippetSumsOfChunk(c));
  for (let m = 0; m < plan.memberChunk.length; m++) {
    const c = plan.memberChunk[m];
    if (c < 0) continue;
    const d = decoded[c];
    const g = plan.memberGroup[m];
    const C = plan.chunks[c].channelIds.length;
    if (d.numSamples !== plan.gather.before + plan.gather.after || d.numChannels !== C || d.counts[g] !== plan.chunks[c].groups[g].length) {
      throw new TaskError(`A snippetSums chunk has [${d.numSamples}][${d.numChannels}] × ${d.counts[g]}, expected [${plan.gather.before + plan.gather.after}][${C}] × ${plan.chunks[c].groups[g].length}`);
    }
    onMember(m, d.sums[g], d.counts[g], d.details?.[g]);
  }
}
