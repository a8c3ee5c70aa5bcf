import { describe, expect, it } from 'vitest';
import { memoryBlobStore } from '../core/ports/memoryBlobStore';
import { decodeChunk, errorChunk, jsonChunk } from '../core/protocol/chunkEncoding';
import { chunkPath, registeredUriPath, RELAY_TOPIC, TASKS_TOPIC, taskHash, type ChunkSpec, type TaskMessage } from '../core/protocol';
import type { BlobStore } from '../core/ports/blobStore';
import { useRelayPubSub } from './testing';
import { startRelayService } from './service';

const sortingUri = (c: string) => `sha1://${c.repeat(40 / c.length)}/sorting.json`;
/** What `workspace add-sorting` writes for a URI (workspaceData.ts storeAndRegister). */
const register = (store: BlobStore, label: string, uri: string) => store.write(registeredUriPath(label, uri.slice(7, 47), uri.slice(48)), '');
const taskOf = (functionId: string, kwargs: Record<string, unknown>, backend = 'lab'): TaskMessage =>
  ({ taskHash: taskHash(functionId, kwargs), functionId, kwargs, backend, kind: 'pure', attempt: 1 });

describe('relay service', () => {
  const ps = useRelayPubSub();

  it('produces a chunk asked for by several requests at once only once; every waiting task is re-published', async () => {
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished');
    const store = memoryBlobStore();
    let produced = 0;
    const service = await startRelayService({
      pubsub: ps.pubsub(), label: 'lab', chunks: store,
      produce: async () => {
        produced++;
        await new Promise((r) => setTimeout(r, 300)); // a slow sorting chunk
        return { bytes: new Uint8Array([1, 2, 3]), isError: false };
      },
    });
    try {
      const spec: ChunkSpec = { type: 'sorting', sorting: sortingUri('ab') };
      await register(store, 'lab', spec.sorting);
      const tasks = [1, 2, 3].map((i) => taskOf('sortingview.fetch_raster.1', { sorting_uri: spec.sorting, start_sec: 0, end_sec: i }));
      await Promise.all(tasks.map((task, i) => ps.pubsub().topic(RELAY_TOPIC).publishMessage({
        json: { requestId: `r${i}`, backend: 'lab', chunks: [spec], reply: { taskHash: task.taskHash, task } }, attributes: { backend: 'lab' },
      })));
      const seen = new Set<string>();
      republished.on('message', (m) => { seen.add(JSON.parse(m.data.toString()).taskHash); m.ack(); });
      for (let i = 0; i < 100 && seen.size < 3; i++) await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual(new Set(tasks.map((t) => t.taskHash)));
      expect(produced).toBe(1);
      expect(store.objects.get(chunkPath('lab', spec))).toBeDefined();
      expect(service.stats()).toMatchObject({ chunksUploaded: 1, chunksCached: 2 });
    } finally {
      await republished.close();
      await service.stop();
    }
  });

  it('replaces a stale error chunk (only the generation the worker read, once), never a good chunk', async () => {
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished-replace');
    const seen: string[] = [];
    republished.on('message', (m) => { seen.push(JSON.parse(m.data.toString()).taskHash); m.ack(); });
    const store = memoryBlobStore();
    const specOf = (n: number): ChunkSpec => ({ type: 'sorting', sorting: sortingUri(String(n)) });
    const [broken, good] = [specOf(1), specOf(2)];
    for (const spec of [broken, good]) await register(store, 'lab', (spec as { sorting: string }).sorting);
    await store.write(chunkPath('lab', broken), errorChunk('kachery link for … points to a file that no longer exists', 'transient'));
    await store.write(chunkPath('lab', good), jsonChunk({ good: true }));
    const gen = async (spec: ChunkSpec) => (await store.readVersioned(chunkPath('lab', spec)))!.generation;
    const brokenGen = await gen(broken);
    const goodGen = await gen(good);
    let produced = 0;
    const service = await startRelayService({
      pubsub: ps.pubsub(), label: 'lab', chunks: store,
      produce: async () => { produced++; return { bytes: jsonChunk({ fixed: true }), isError: false }; },
    });
    const task = taskOf('get_best_matching_units.2', { sorting_uri: sortingUri('1'), compare_sorting_uri: sortingUri('2'), sorting_selector: 'A' });
    const ask = (requestId: string, chunks: ChunkSpec[], replace: { index: number; generation: string }[]) => ps.pubsub().topic(RELAY_TOPIC).publishMessage({
      json: { requestId, backend: 'lab', chunks, reply: { taskHash: task.taskHash, task }, replace }, attributes: { backend: 'lab' },
    });
    const answered = async (n: number) => { for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 50)); };
    try {
      await ask('fix', [broken, good], [{ index: 0, generation: brokenGen }, { index: 1, generation: goodGen }]);
      await answered(1);
      expect(decodeChunk(store.objects.get(chunkPath('lab', broken))!).header.kind).toBe('json');
      expect(JSON.parse(new TextDecoder().decode(decodeChunk(store.objects.get(chunkPath('lab', good))!).payload))).toEqual({ good: true });
      expect(await gen(good)).toBe(goodGen);
      expect(produced).toBe(1);
      // A second task that read the same stale generation: already renewed, nothing produced.
      await ask('again', [broken], [{ index: 0, generation: brokenGen }]);
      await answered(2);
      expect(produced).toBe(1);
    } finally {
      await republished.close();
      await service.stop();
    }
  });

  it('a relay whose account may not replace objects says so and re-publishes the task (no endless redelivery)', async () => {
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished-refused');
    const seen: string[] = [];
    republished.on('message', (m) => { seen.push(JSON.parse(m.data.toString()).taskHash); m.ack(); });
    const inner = memoryBlobStore();
    // A task on registered data (objects/<label>/<sha1>.names/<name>), a chunk of that data only.
    const uri = `sha1://${'3'.repeat(40)}/sorting.json`;
    await inner.write(`objects/lab/${'3'.repeat(40)}.names/sorting.json`, '');
    const spec: ChunkSpec = { type: 'sorting', sorting: uri };
    await inner.write(chunkPath('lab', spec), errorChunk('No such file: /data/f', 'transient'));
    const generation = (await inner.readVersioned(chunkPath('lab', spec)))!.generation;
    // As Cloud Storage answers an overwrite without storage.objects.delete.
    const store = { ...inner, write: async (p: string, b: Uint8Array | string, o?: { ifGenerationMatch?: number | string }) => {
      if (o?.ifGenerationMatch && o.ifGenerationMatch !== 0) throw Object.assign(new Error('does not have storage.objects.delete access'), { code: 403 });
      return inner.write(p, b, o);
    } };
    const lines: string[] = [];
    const service = await startRelayService({ pubsub: ps.pubsub(), label: 'lab', chunks: store, log: (l) => lines.push(l), produce: async () => ({ bytes: jsonChunk({ fixed: true }), isError: false }) });
    const task = { taskHash: taskHash('sorting_info.3', { sorting_uri: uri }), functionId: 'sorting_info.3', kwargs: { sorting_uri: uri }, backend: 'lab', kind: 'pure' as const, attempt: 1 };
    try {
      await ps.pubsub().topic(RELAY_TOPIC).publishMessage({ json: { requestId: 'x', backend: 'lab', chunks: [spec], reply: { taskHash: task.taskHash, task }, replace: [{ index: 0, generation }] }, attributes: { backend: 'lab' } });
      for (let i = 0; i < 100 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([task.taskHash]);
      expect(lines.join('\n')).toMatch(/cannot replace the error chunk .*grant roles\/storage.objectUser/);
      expect(decodeChunk(inner.objects.get(chunkPath('lab', spec))!).header.kind).toBe('error');
    } finally {
      await republished.close();
      await service.stop();
    }
  });

  it('serves only its own label, tasks of the catalog and registered data that the task names; refuses the rest unserved and unpublished', async () => {
    const [republished] = await ps.pubsub().topic(TASKS_TOPIC).createSubscription('republished-admission');
    const seen: string[] = [];
    republished.on('message', (m) => { seen.push(JSON.parse(m.data.toString()).taskHash); m.ack(); });
    const store = memoryBlobStore();
    const registered = sortingUri('a');
    await register(store, 'lab', registered);
    await register(store, 'other', sortingUri('b'));
    let produced = 0;
    const lines: string[] = [];
    const service = await startRelayService({
      pubsub: ps.pubsub(), label: 'lab', chunks: store, log: (l) => lines.push(l),
      produce: async () => { produced++; return { bytes: jsonChunk({ ok: true }), isError: false }; },
    });
    const info = (uri: string, backend = 'lab') => taskOf('sorting_info.3', { sorting_uri: uri }, backend);
    const spec = (uri: string): ChunkSpec => ({ type: 'sorting', sorting: uri });
    const attacks: { why: RegExp; chunks: ChunkSpec[]; task: TaskMessage }[] = [
      // A request for lab whose task is for another label: relay lab must not publish a task for it.
      { why: /for backend "other", not "lab"/, chunks: [spec(registered)], task: info(sortingUri('b'), 'other') },
      { why: /is not registered with backend "lab"/, chunks: [spec(sortingUri('c'))], task: info(sortingUri('c')) },
      // Registered for another label only.
      { why: /is not registered with backend "lab"/, chunks: [spec(sortingUri('b'))], task: info(sortingUri('b')) },
      // The registered form only: a suffix variant of a registered hash is another URI.
      { why: /invalid/, chunks: [spec(`${registered}?x`)], task: info(`${registered}?x`) },
      // A chunk that the (registered) task does not name, e.g. a plain path or a raw kachery file.
      { why: /names "\/etc\/passwd", which task sorting_info.3 does not name/, chunks: [spec(registered), { type: 'file', uri: '/etc/passwd' }], task: info(registered) },
      { why: /names "sha1:\/\/c{40}\/x", which/, chunks: [{ type: 'file', uri: `sha1://${'c'.repeat(40)}/x` }], task: info(registered) },
      { why: /no task nope.1/, chunks: [spec(registered)], task: taskOf('nope.1', { sorting_uri: registered }) },
      { why: /hash does not match/, chunks: [spec(registered)], task: { ...info(registered), taskHash: 'e'.repeat(40) } },
    ];
    try {
      for (const [i, a] of attacks.entries()) {
        await ps.pubsub().topic(RELAY_TOPIC).publishMessage({ json: { requestId: `attack-${i}`, backend: 'lab', chunks: a.chunks, reply: { taskHash: a.task.taskHash, task: a.task } }, attributes: { backend: 'lab' } });
      }
      for (let i = 0; i < 100 && service.stats().refused < attacks.length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(service.stats().refused).toBe(attacks.length);
      for (const [i, a] of attacks.entries()) expect(lines.find((l) => l.startsWith(`refused relay request attack-${i}:`)), `attack ${i}`).toMatch(a.why);
      // The good request after them is served: only its chunk is produced, only its task re-published.
      const good = info(registered);
      await ps.pubsub().topic(RELAY_TOPIC).publishMessage({ json: { requestId: 'good', backend: 'lab', chunks: [spec(registered)], reply: { taskHash: good.taskHash, task: good } }, attributes: { backend: 'lab' } });
      for (let i = 0; i < 100 && !seen.length; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([good.taskHash]);
      expect(produced).toBe(1);
      expect([...store.objects.keys()].filter((k) => k.startsWith('chunks/'))).toEqual([chunkPath('lab', spec(registered))]);
    } finally {
      await republished.close();
      await service.stop();
    }
  });
});
