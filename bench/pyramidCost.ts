import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkHash, decodeChunk, type ChunkSpec } from '../core/protocol';
import { isPyramidLevel, tilePairs, tilesCovering, tileSpec } from '../core/tasks/views/pyramid';
import { ensureDemoData } from '../emulator/demo';
import { createFormatChunkServer } from '../relay/chunks/formatChunks';
import { NeedChunksFirst } from '../relay/chunks/pyramidTiles';
import { serveChunk } from '../relay/chunks/serveChunk';
import { createOpenFile, type OpenFile } from '../relay/data/openFile';
import { DataRoots } from '../relay/data/roots';

/**
 * `npx tsx bench/pyramidCost.ts [durationSec]`: bytes the relay reads from the recording file for a
 * whole-file min/max overview of the demo SpikeGLX recording (384 AP + sync channels, int16), and for
 * the variants a caller could send next (another segment_size, the next level, …).
 *
 * Before (the relay until issue 14 item 6): a `minmax {dsFactor, segment, segmentSize}` chunk was
 * reduced from every raw frame of its range, for any dsFactor ≤ 1e6 and any segmentSize, so every
 * variant is one more read of its whole range; the figure below is that range read through the same
 * reader. After: the pyramid's tiles, produced as the relay service does (children first), from one
 * store shared by every request.
 */
const durationSec = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'sv-pyramid-cost-'));
const demo = await ensureDemoData(join(dir, 'demo'), durationSec, (l) => console.error(l));
const recordingPath = join(dir, 'demo', 'spikeglx-recording.json');
writeFileSync(recordingPath, JSON.stringify(demo.spikeglx.recording));
const roots = await DataRoots.create([join(dir, 'demo')]);
const base = createOpenFile({ store: null, roots });
let bytesRead = 0;
/** Counts the bytes read from the recording's .bin (the object JSON is not counted). */
const openFile: OpenFile = async (uri) => {
  const f = await base(uri);
  if (!f.path.endsWith('.bin')) return f;
  return {
    path: f.path, size: f.size,
    read: (o, l) => { bytesRead += l; return f.read(o, l); },
    ...(f.readInto ? { readInto: (o: number, t: Uint8Array) => { bytesRead += t.length; return f.readInto!(o, t); } } : {}),
    close: () => f.close(),
  };
};
const store = new Map<string, Uint8Array>();
const formats = createFormatChunkServer(openFile, async (spec) => store.get(chunkHash(spec)) ?? null);
/** As relay/service.ts ensureChunk + produceInTurn: produced once, children first. */
async function ensure(spec: ChunkSpec): Promise<void> {
  if (store.has(chunkHash(spec))) return;
  for (;;) {
    try {
      const { bytes, isError } = await serveChunk(spec, { openFile, formats: formats.serve });
      if (isError) throw new Error(new TextDecoder().decode(bytes.subarray(8)));
      store.set(chunkHash(spec), bytes);
      return;
    } catch (err) {
      if (!(err instanceof NeedChunksFirst)) throw err;
      for (const c of err.specs) await ensure(c);
    }
  }
}

const numFrames = demo.spikeglx.numFrames;
const info = JSON.parse(new TextDecoder().decode(decodeChunk(await formats.serve({ type: 'recordingInfo', recording: recordingPath })).payload)) as { channelIds: number[] };
const C = info.channelIds.length;
const P = tilePairs(C);
let overviewDs = 3;
while (P * overviewDs < numFrames) overviewDs *= 3;
const fileBytes = statSync(demo.spikeglx.binPath).size;
const frameBytes = fileBytes / numFrames; // all channels on disk (384 AP + sync), as the reader reads them
const rows: { request: string; beforeBytes: number; afterBytes: number }[] = [];
const variants: { request: string; ds: number; segmentSize: number }[] = [
  { request: `overview: ds ${overviewDs}, segment_size ${P} (the web app's)`, ds: overviewDs, segmentSize: P },
  { request: `same level, segment_size 7`, ds: overviewDs, segmentSize: 7 },
  { request: `next level: ds ${overviewDs * 3}`, ds: overviewDs * 3, segmentSize: P },
  { request: `ds ${overviewDs + 1} (refused now: not a level)`, ds: overviewDs + 1, segmentSize: P },
];
for (const v of variants) {
  // Before: the whole range of segment 0, read once per distinct (ds, segment_size).
  const beforeBytes = Math.min(numFrames, v.ds * v.segmentSize) * frameBytes;
  let afterBytes = 0;
  if (isPyramidLevel(v.ds)) {
    const r0 = bytesRead;
    const pairs = Math.ceil(Math.min(numFrames, v.ds * v.segmentSize) / v.ds);
    const { first, count } = tilesCovering(0, pairs, C);
    for (let t = first; t < first + count; t++) await ensure(tileSpec(recordingPath, v.ds, t, C));
    afterBytes = bytesRead - r0;
  }
  rows.push({ request: v.request, beforeBytes, afterBytes });
}
await formats.close();
console.log(JSON.stringify({ durationSec, numFrames, channels: C, fileBytes, tilesStored: store.size, storedBytes: [...store.values()].reduce((n, b) => n + b.length, 0), rows }, null, 2));
