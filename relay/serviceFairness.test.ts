import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minMaxDownsample } from '../core/kernels/waveforms/minmax';
import type { BlobStore } from '../core/ports/blobStore';
import { memoryBlobStore } from '../core/ports/memoryBlobStore';
import { chunkPath, registeredObjectPath, RELAY_TOPIC, TASKS_TOPIC, taskHash, type ChunkSpec, type TaskMessage } from '../core/protocol';
import { decodeChunk } from '../core/protocol/chunkEncoding';
import { tileSpec } from '../core/tasks/views/pyramid';
import { useRelayPubSub } from './testing';
import { createFormatChunkServer } from './chunks/formatChunks';
import { serveChunk } from './chunks/serveChunk';
import { storeAndRegister } from './commands/workspaceData';
import { bytesOf, memoryOpenFile, type ReadLog } from './formats/testing';
import { startRelayService } from './service';

/** Registered as `workspace add-recording` does (the relay serves registered data only): its URI and stored bytes. */
async function register(store: BlobStore, object: Record<string, unknown>, label: string): Promise<{ uri: string; bytes: Uint8Array }> {
  const uri = await storeAndRegister({ object, format: 'bin1', defaultLabel: 'recording' }, { label: 'recording', kacheryDir: mkdtempSync(join(tmpdir(), 'sv-fair-')), backendLabel: label, privateStore: store });
  return { uri, bytes: (await store.read(registeredObjectPath(label, uri.slice(7, 47))))! };
}
const segmentTask = (i: number, caller: string, recordingUri: string, backend: string): TaskMessage => {
  const kwargs = { recording_uri: recordingUri, ds_factor: 1, segment_num: i, segment_size: 100 };
  return { taskHash: taskHash('get_timeseries_segment.1', kwargs), functionId: 'get_timeseries_segment.1', kwargs, backend, kind: 'pure', attempt: 1, caller };
};

describe('relay service: fair queue and min/max pyramid', () => {
  const ps = useRelayPubSub();

  // Each test its own label: a request of one test left in the subscription never reaches the other's relay.
  const request = (id: string, chunks: ChunkSpec[], task: TaskMessage) =>
    ps.pubsub().topic(RELAY_TOPIC).publishMessage({ json: { requestId: id, backend: task.backend, chunks, reply: { taskHash: task.taskHash, task } }, attributes: { backend: task.backend } });

  it('a caller flooding the relay does not starve another: its request waits for one chunk per slot, not for the flood', async () => {
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished-fair');
    const store = memoryBlobStore();
    const { uri: R } = await register(store, { recording_format: 'bin1', data: { raw: '/data/a.dat', raw_num_channels: 1, num_frames: 100, samplerate: 30000 } }, 'fair');
    const CHUNK_MS = 100;
    const service = await startRelayService({
      pubsub: ps.pubsub(), label: 'fair', chunks: store, maxConcurrentRequests: 2,
      produce: async () => {
        await new Promise((r) => setTimeout(r, CHUNK_MS));
        return { bytes: new Uint8Array([1]), isError: false };
      },
    });
    const FLOODER = 'f100d000f100d000';
    const VICTIM = '0123456789abcdef';
    try {
      const done = new Map<string, number>();
      republished.on('message', (m) => { done.set(JSON.parse(m.data.toString()).taskHash, Date.now()); m.ack(); });
      // 40 requests of one caller, 3 chunks each: 120 chunks, 6 s of work on 2 slots.
      const flood = Array.from({ length: 40 }, (_, i) => segmentTask(i, FLOODER, R, 'fair'));
      const traces = (i: number, c: number): ChunkSpec => ({ type: 'traces', recording: R, startFrame: 3 * i + c, endFrame: 3 * i + c + 1, channelIds: [0] });
      await Promise.all(flood.map((t, i) => request(`f${i}`, [0, 1, 2].map((c) => traces(i, c)), t)));
      await new Promise((r) => setTimeout(r, 500)); // the flood is being served
      const victim = segmentTask(1000, VICTIM, R, 'fair');
      const asked = Date.now();
      await request('v', [traces(1000, 0)], victim);
      for (let i = 0; i < 200 && !done.has(victim.taskHash); i++) await new Promise((r) => setTimeout(r, 25));
      expect(done.has(victim.taskHash)).toBe(true);
      // The bound: the chunks running when it came (one per slot), then its own, plus Pub/Sub's delivery.
      expect(done.get(victim.taskHash)! - asked).toBeLessThan(2 * CHUNK_MS + 700);
      const floodDone = flood.filter((t) => done.has(t.taskHash)).length;
      expect(floodDone).toBeLessThan(10); // in a FIFO it would have waited for all 40
    } finally {
      await republished.close();
      await service.stop();
    }
  });

  it('min/max pyramid: a whole-file overview reads every raw frame once; other levels after it read none', async () => {
    // 1000 channels: tiles of 100 pairs; a base tile (3^5) is 24 300 frames; the file is 1.5 base tiles.
    const C = 1000;
    const N = 36_450;
    const raw = new Int16Array(N * C);
    for (let i = 0; i < raw.length; i++) raw[i] = ((i * 7919) % 2001) - 1000;
    const ids = Array.from({ length: C }, (_, c) => c);
    const recording = {
      recording_format: 'bin1',
      data: { raw: '/data/raw.dat', raw_num_channels: C, num_frames: N, samplerate: 30000, channel_ids: ids, channel_map: Object.fromEntries(ids.map((c) => [c, c])), channel_positions: Object.fromEntries(ids.map((c) => [c, [0, c]])) },
    };
    const store = memoryBlobStore();
    const { uri, bytes } = await register(store, recording, 'lab');
    const log: ReadLog = { reads: [] };
    const openFile = memoryOpenFile({ '/data/raw.dat': bytesOf(raw), [uri]: bytes }, log);
    const formats = createFormatChunkServer(openFile, (spec) => store.read(chunkPath('lab', spec)));
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished-pyramid');
    const seen = new Set<string>();
    republished.on('message', (m) => { seen.add(JSON.parse(m.data.toString()).taskHash); m.ack(); });
    const service = await startRelayService({ pubsub: ps.pubsub(), label: 'lab', chunks: store, produce: (spec) => serveChunk(spec, { openFile, formats: formats.serve }) });
    const rawBytesRead = () => log.reads.filter((r) => r.path === '/data/raw.dat').reduce((n, r) => n + r.length, 0);
    const ask = async (i: number, tiles: ChunkSpec[]) => {
      const t = segmentTask(i, 'abcdefabcdefabcd', uri, 'lab');
      await request(`p${i}`, tiles, t);
      for (let k = 0; k < 600 && !seen.has(t.taskHash); k++) await new Promise((r) => setTimeout(r, 50));
      expect(seen.has(t.taskHash)).toBe(true);
    };
    const tile = (ds: number, segment: number) => tileSpec(uri, ds, segment, C);
    try {
      // The web app's overview of the whole file: level 3^6, one tile (100 pairs · 729 frames ≥ N).
      await ask(1, [tile(729, 0)]);
      expect(rawBytesRead()).toBe(N * C * 2); // every frame once, through the two base tiles
      const overview = decodeChunk((await store.read(chunkPath('lab', tile(729, 0))))!);
      expect(Array.from(new Float32Array(overview.payload.slice().buffer))).toEqual(Array.from(minMaxDownsample(raw, C, 729).data));
      // Coarser levels and the base level again, from the pyramid: no raw frame is read twice.
      await ask(2, [tile(3 ** 7, 0), tile(3 ** 8, 0), tile(243, 1)]);
      expect(rawBytesRead()).toBe(N * C * 2);
      expect(service.stats().errors).toBe(0);
    } finally {
      await republished.close();
      await service.stop();
      await formats.close();
    }
  }, 90_000);
});
