import { mkdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../core/random';
import { decodeChunk, type ChunkSpec } from '../core/protocol';
import { planGather } from '../core/tasks/views/gather';
import { ensureDemoData } from '../emulator/demo';
import { createFormatChunkServer } from '../relay/chunks/formatChunks';
import { serveChunk } from '../relay/chunks/serveChunk';
import { createOpenFile } from '../relay/data/openFile';
import { DataRoots } from '../relay/data/roots';
import { openSorting } from '../relay/formats';
import { localOpenFile } from '../relay/formats/local';
import { writeResult } from './results';

/**
 * relay-gather: snippets per second delivered by the relay's `snippets` chunk path (serveChunk →
 * formatChunks → the SpikeGLX reader's coalescing readSnippets, encoded as the chunk it uploads) for
 * scattered spikes of a real SpikeGLX file (384 AP + sync, int16, 30 kHz), beside a plain loop of
 * positional reads (one FileHandle.read of all 385 channels × 130 frames per spike, the 15 channels
 * copied out) over the same spikes in the same run. Both must produce identical bytes.
 *
 * The spikes are what a task sends: a sample of the demo sorting's spikes, one member per unit,
 * packed into pieces and chunks by core/tasks/views/gather.ts planGather (sorted unique frames per
 * piece, ≤ 32 Mi values per batch), the chunks served one after another as relay/service.ts does. The page cache is warmed by one untimed run of each; then they
 * alternate and medians are taken.
 */
const DURATION_SEC = Number(process.env.BENCH_RELAY_GATHER_SEC ?? 120); // 120 s × 385 ch × 2 B × 30 kHz ≈ 2.8 GB
const NUM_SPIKES = Number(process.env.BENCH_RELAY_GATHER_SPIKES ?? 20_000);
const BEFORE = 50;
const AFTER = 80;
const NUM_CHANNELS = 15;
const RUNS = 7;

export async function benchRelayGather(): Promise<void> {
  const dir = join(process.cwd(), '.sortingview/bench/relay-gather');
  mkdirSync(dir, { recursive: true });
  const demo = await ensureDemoData(dir, DURATION_SEC, (l) => console.error(l));
  const { binPath, numFrames, units } = demo.spikeglx;
  const recordingUri = join(dir, 'spikeglx-recording.json');
  writeFileSync(recordingUri, JSON.stringify(demo.spikeglx.recording));

  // Spikes: a seeded sample of the demo sorting's spikes (every unit), windows inside the file; one
  // gather member per unit, as the units-table tasks send them (planGather packs and splits them).
  const sorting = await openSorting(demo.phy.sorting, localOpenFile());
  const pairs: [number, number][] = [];
  for (const u of sorting.unitIds) for (const f of sorting.spikeTrain(u)) if (f >= BEFORE && f + AFTER <= numFrames) pairs.push([f, u]);
  if (pairs.length < NUM_SPIKES) throw new Error(`relay-gather: the demo sorting has ${pairs.length} spikes, fewer than ${NUM_SPIKES}: use a longer recording`);
  const rng = mulberry32(9);
  for (let i = 0; i < NUM_SPIKES; i++) { const j = i + Math.floor(rng() * (pairs.length - i)); [pairs[i], pairs[j]] = [pairs[j], pairs[i]]; }
  const byUnit = new Map<number, number[]>();
  for (const [f, u] of pairs.slice(0, NUM_SPIKES)) byUnit.set(u, [...(byUnit.get(u) ?? []), f]);
  // The 15 channels of a unit's neighbourhood: SpikeGLX channel id = column here (no sync channel among them).
  const peak = units[0].peakChannelId;
  const first = Math.max(0, Math.min(384 - NUM_CHANNELS, peak - (NUM_CHANNELS >> 1)));
  const channelIds = Array.from({ length: NUM_CHANNELS }, (_, i) => first + i);
  const members = [...byUnit.keys()].sort((x, y) => x - y).map((u) => ({ frames: Float64Array.from(byUnit.get(u)!).sort(), channelIds }));
  const plan = planGather({ recording: recordingUri, dtype: 'int16', before: BEFORE, after: AFTER, members, maxPieceChannels: NUM_CHANNELS });
  const specs: ChunkSpec[] = plan.pieces.flatMap((p) => p.chunks);
  // The frames of the chunks in order (a piece gathers the sorted union of its members' frames).
  const frames = Float64Array.from(specs.flatMap((s) => (s.type === 'snippets' ? s.frames : [])));
  const n = frames.length;

  const roots = await DataRoots.create([demo.outDir]);
  const openFile = createOpenFile({ store: null, roots });
  const formats = createFormatChunkServer(openFile);
  const T = BEFORE + AFTER;
  const snippetBytes = T * NUM_CHANNELS * 2;

  const ours = async (): Promise<Uint8Array> => {
    const out = new Uint8Array(n * snippetBytes);
    let off = 0;
    for (const spec of specs) {
      const { bytes, isError } = await serveChunk(spec, { openFile, formats: formats.serve });
      const { header, payload } = decodeChunk(bytes);
      if (isError) throw new Error(`relay-gather: the relay answered an error chunk: ${JSON.stringify(header)}`);
      out.set(payload, off);
      off += payload.length;
    }
    if (off !== out.length) throw new Error(`relay-gather: the relay gave ${off} bytes, expected ${out.length}`);
    return out;
  };

  const fh = await open(binPath, 'r');
  const C = 385;
  const reference = async (): Promise<Uint8Array> => {
    const out = new Int16Array(n * T * NUM_CHANNELS);
    const buf = new Int16Array(T * C);
    const bytes = new Uint8Array(buf.buffer);
    for (let i = 0; i < n; i++) {
      const position = (frames[i] - BEFORE) * C * 2;
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await fh.read(bytes, done, bytes.length - done, position + done);
        if (bytesRead === 0) throw new Error('relay-gather: the reference read past the end');
        done += bytesRead;
      }
      let o = i * T * NUM_CHANNELS;
      for (let t = 0; t < T; t++) {
        const s = t * C;
        for (let j = 0; j < NUM_CHANNELS; j++) out[o++] = buf[s + channelIds[j]];
      }
    }
    return new Uint8Array(out.buffer);
  };

  try {
    const t0 = performance.now();
    // Warm-up (page cache, JIT, the relay's open-recording cache) and the byte check.
    const a = await ours();
    const b = await reference();
    if (a.length !== b.length || Buffer.compare(a, b) !== 0) {
      const at = a.findIndex((v, i) => v !== b[i]);
      throw new Error(`relay-gather: the relay's snippets differ from the positional reads (${a.length} vs ${b.length} bytes, first difference at byte ${at})`);
    }
    const oursMs: number[] = [];
    const refMs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      for (const [fn, ms] of (r % 2 ? [[reference, refMs], [ours, oursMs]] : [[ours, oursMs], [reference, refMs]]) as [() => Promise<Uint8Array>, number[]][]) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
    const oursRate = n / (median(oursMs) / 1000);
    const refRate = n / (median(refMs) / 1000);
    writeResult({
      name: 'relay-gather', value: oursRate,
      unit: `snippets/s (${n} scattered spikes × ${T} frames × ${NUM_CHANNELS} of 385 channels int16, ${DURATION_SEC} s SpikeGLX file, ${specs.length} chunks of sorted frames; median of ${RUNS})`,
      reference: { name: 'plain FileHandle.read loop, one 385-channel window per spike, same spikes', value: refRate, unit: 'snippets/s' },
      ratio: oursRate / refRate, bytesIdentical: true,
      oursMs, referenceMs: refMs, numSpikes: n, numChunks: specs.length, fileBytes: numFrames * C * 2, durationMs: performance.now() - t0,
    });
  } finally {
    await fh.close();
    await formats.close();
  }
}
