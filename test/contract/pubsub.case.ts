// One Pub/Sub contract, run against every emulator we may use (ours and Google's): the real
// @google-cloud/pubsub client over real gRPC on loopback, no mocks. Each case uses its own
// topics and subscriptions, named with a per-run prefix, so cases may run concurrently.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PubSub, v1, type Message, type Subscription, type Topic } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Matches the emulator's PubSubFaults; kept structural so this suite imports no emulator. */
export interface PubSubContractFaults {
  duplicate?: boolean;
  nackFraction?: number;
  delayMs?: number;
  seed?: number;
}

export interface PubSubContractCapabilities {
  /** Fault switch, when the implementation has one: enables the at-least-once-under-faults case. */
  faults?: (f: PubSubContractFaults) => void;
  /** Delivers only messages matching a subscription's filter (default true). */
  filters?: boolean;
  /** Refuses a malformed filter with INVALID_ARGUMENT (default true). */
  filterValidation?: boolean;
  /** Waits retryPolicy.minimumBackoff before redelivering a nacked message (default true). */
  nackBackoff?: boolean;
  /**
   * With enableMessageOrdering, holds one message per ordering key outstanding and redelivers a
   * nacked or expired one before the later ones of its key (default true).
   */
  orderedRedelivery?: boolean;
}

export interface PubSubContractOptions {
  name: string;
  make: () => Promise<{ host: string; stop: () => Promise<void> }>;
  capabilities?: PubSubContractCapabilities;
}

// Even with an emulator endpoint the client looks for Application Default Credentials, which
// probes the GCE metadata server (169.254.169.254, off loopback). Tests stay on loopback.
process.env.METADATA_SERVER_DETECTION ??= 'none';

const PROJECT = 'sortingview-test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

type Received = { ackId: string; id: string; data: string; attributes: Record<string, string> };

export function runPubSubContract(opts: PubSubContractOptions): void {
  const caps = { filters: true, filterValidation: true, nackBackoff: true, orderedRedelivery: true, ...opts.capabilities };
  const run = `${opts.name}-${Date.now().toString(36)}`;
  let counter = 0;
  const uniq = (kind: string) => `sv-${run}-${kind}-${++counter}`;

  describe.concurrent(`Pub/Sub contract: ${opts.name}`, () => {
    let emulator: { host: string; stop: () => Promise<void> };
    let pubsub: PubSub;
    let sc: v1.SubscriberClient;
    const opened: Subscription[] = [];

    beforeAll(async () => {
      emulator = await opts.make();
      pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
      // The generated client takes the same endpoint/insecure settings the PubSub object derived.
      const config = await pubsub.getClientConfig();
      sc = new v1.SubscriberClient({ ...config, port: config.port === undefined ? undefined : Number(config.port) });
    });

    afterAll(async () => {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      await sc?.close();
      await pubsub?.close();
      await emulator?.stop();
    });

    const newTopic = async (): Promise<Topic> => (await pubsub.createTopic(uniq('t')))[0];
    const newSub = async (topic: Topic, metadata: Record<string, unknown> = {}) =>
      (await topic.createSubscription(uniq('s'), metadata))[0];
    /** A streaming-pull handle; closed after the suite even if the case fails. */
    const listen = (name: string, options: Record<string, unknown> = {}) => {
      const sub = pubsub.subscription(name, options);
      opened.push(sub);
      sub.on('error', (err) => console.error(`[${opts.name}] subscription ${name} error`, err));
      return sub;
    };
    const pullOnce = async (sub: string, max = 100): Promise<Received[]> => {
      const [res] = await sc.pull({ subscription: sub, maxMessages: max, returnImmediately: true });
      return (res.receivedMessages ?? []).map((r) => ({
        ackId: r.ackId!,
        id: r.message!.messageId!,
        data: Buffer.from(r.message!.data as Uint8Array).toString(),
        attributes: { ...(r.message!.attributes ?? {}) },
      }));
    };
    /** Pulls (and acks) until `count` messages arrived, then checks that no more come. */
    const pullAll = async (sub: string, count: number, timeoutMs = 5000): Promise<Received[]> => {
      const got: Received[] = [];
      const until = Date.now() + timeoutMs;
      while (got.length < count && Date.now() < until) {
        const batch = await pullOnce(sub);
        if (batch.length) await sc.acknowledge({ subscription: sub, ackIds: batch.map((m) => m.ackId) });
        else await sleep(50);
        got.push(...batch);
      }
      return got;
    };

    /** Pulls without acking until one message comes. */
    const pullOnceUntil = async (sub: string, timeoutMs = 8000): Promise<Received> => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const [m] = await pullOnce(sub, 1);
        if (m) return m;
        await sleep(25);
      }
      throw new Error(`no message on ${sub} within ${timeoutMs} ms`);
    };

    it('creates, gets, lists and deletes topics', async () => {
      const name = uniq('t');
      const [topic] = await pubsub.createTopic(name);
      expect(topic.name).toBe(`projects/${PROJECT}/topics/${name}`);
      const [meta] = await topic.getMetadata();
      expect(meta.name).toBe(topic.name);
      expect((await topic.exists())[0]).toBe(true);
      const [topics] = await pubsub.getTopics();
      expect(topics.map((t) => t.name)).toContain(topic.name);
      await topic.delete();
      expect((await topic.exists())[0]).toBe(false);
      await expect(topic.getMetadata()).rejects.toMatchObject({ code: 5 });
    });

    it('answers ALREADY_EXISTS, NOT_FOUND and INVALID_ARGUMENT with Google codes', async () => {
      const topic = await newTopic();
      await expect(pubsub.createTopic(topic.name.split('/').pop()!)).rejects.toMatchObject({ code: 6 });
      await expect(pubsub.topic(uniq('missing')).getMetadata()).rejects.toMatchObject({ code: 5 });
      await expect(pubsub.topic(uniq('missing')).publishMessage({ data: Buffer.from('x') })).rejects.toMatchObject({ code: 5 });
      await expect(pubsub.topic(uniq('missing')).delete()).rejects.toMatchObject({ code: 5 });
      await expect(pubsub.createTopic('1-starts-with-a-digit')).rejects.toMatchObject({ code: 3 });
      await expect(pubsub.createTopic('goog-reserved')).rejects.toMatchObject({ code: 3 });
      const sub = await newSub(topic);
      await expect(topic.createSubscription(sub.name.split('/').pop()!)).rejects.toMatchObject({ code: 6 });
      await expect(pubsub.topic(uniq('missing')).createSubscription(uniq('s'))).rejects.toMatchObject({ code: 5 });
      await expect(pubsub.subscription(uniq('missing')).getMetadata()).rejects.toMatchObject({ code: 5 });
      await expect(sc.pull({ subscription: `projects/${PROJECT}/subscriptions/${uniq('missing')}`, maxMessages: 1 })).rejects.toMatchObject({ code: 5 });
    });

    it('creates, gets, updates, lists and deletes subscriptions', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { ackDeadlineSeconds: 30, labels: { owner: 'lab1' } });
      const [meta] = await sub.getMetadata();
      expect(meta).toMatchObject({ name: sub.name, topic: topic.name, ackDeadlineSeconds: 30, labels: { owner: 'lab1' } });
      await sub.setMetadata({ ackDeadlineSeconds: 45 });
      expect((await sub.getMetadata())[0].ackDeadlineSeconds).toBe(45);
      const [all] = await pubsub.getSubscriptions();
      expect(all.map((s) => s.name)).toContain(sub.name);
      const [ofTopic] = await topic.getSubscriptions();
      expect(ofTopic.map((s) => s.name)).toEqual([sub.name]);
      await sub.delete();
      expect((await sub.exists())[0]).toBe(false);
      await expect(sub.getMetadata()).rejects.toMatchObject({ code: 5 });
    });

    it('keeps subscriptions of a deleted topic, reporting _deleted-topic_', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      await topic.delete();
      expect((await sub.getMetadata())[0].topic).toBe('_deleted-topic_');
    });

    it('delivers a message with attributes over streaming pull (subscription.on("message"))', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      const before = Date.now();
      const id = await topic.publishMessage({ data: Buffer.from('{"hello":1}'), attributes: { backend: 'lab1', taskHash: 'abc' } });
      const got: Message[] = [];
      listen(sub.name).on('message', (m: Message) => {
        got.push(m);
        m.ack();
      });
      await waitFor(() => got.length > 0, 10_000, 'the message');
      const m = got[0];
      expect(m.id).toBe(id);
      expect(m.data.toString()).toBe('{"hello":1}');
      expect(m.attributes).toEqual({ backend: 'lab1', taskHash: 'abc' });
      expect(m.publishTime.getTime()).toBeGreaterThanOrEqual(before - 2000);
      expect(m.publishTime.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
    });

    it('delivers over unary Pull (v1.SubscriberClient) and acknowledge removes the message', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      const ids = await Promise.all(['a', 'b', 'c'].map((d) => topic.publishMessage({ data: Buffer.from(d), attributes: { k: d } })));
      const got = await pullAll(sub.name, 3);
      expect(got.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(got.find((m) => m.data === 'b')?.attributes).toEqual({ k: 'b' });
      await sleep(300);
      expect(await pullOnce(sub.name)).toEqual([]);
    });

    it('delivers only messages published after the subscription exists', async () => {
      const topic = await newTopic();
      await topic.publishMessage({ data: Buffer.from('early') });
      const sub = await newSub(topic);
      await topic.publishMessage({ data: Buffer.from('late') });
      const got = await pullAll(sub.name, 2, 1500);
      expect(got.map((m) => m.data)).toEqual(['late']);
    });

    it.skipIf(!caps.filters)('filters on attributes (the relay\'s backend filter and other forms)', async () => {
      const topic = await newTopic();
      const filters = {
        lab1: 'attributes.backend = "lab1"',
        notLab1: 'attributes.backend != "lab1"',
        hasUrgent: 'attributes:urgent',
        notUrgent: 'NOT attributes:urgent',
        minusUrgent: '-attributes:urgent',
        prefix: 'hasPrefix(attributes.task, "fetch_")',
        combo: '(attributes.backend = "lab1" OR attributes.backend = "lab2") AND attributes:urgent',
        hyphenKey: 'attributes.ce-type = "x"',
      };
      const subs = Object.fromEntries(
        await Promise.all(Object.entries(filters).map(async ([k, filter]) => [k, (await newSub(topic, { filter })).name] as const)),
      );
      const messages: Array<[string, Record<string, string>]> = [
        ['m1', { backend: 'lab1', task: 'fetch_a' }],
        ['m2', { backend: 'lab2', urgent: '1' }],
        ['m3', { backend: 'lab1', urgent: '' }],
        ['m4', { task: 'compute', 'ce-type': 'x' }],
      ];
      for (const [data, attributes] of messages) await topic.publishMessage({ data: Buffer.from(data), attributes });
      const expected: Record<string, string[]> = {
        lab1: ['m1', 'm3'],
        notLab1: ['m2', 'm4'],
        hasUrgent: ['m2', 'm3'],
        notUrgent: ['m1', 'm4'],
        minusUrgent: ['m1', 'm4'],
        prefix: ['m1'],
        combo: ['m2', 'm3'],
        hyphenKey: ['m4'],
      };
      for (const [k, want] of Object.entries(expected)) {
        const got = await pullAll(subs[k], want.length, 3000);
        await sleep(100);
        got.push(...(await pullOnce(subs[k])));
        expect({ [k]: got.map((m) => m.data).sort() }).toEqual({ [k]: want });
      }
    });

    it.skipIf(!caps.filterValidation)('refuses malformed filters with INVALID_ARGUMENT', async () => {
      const topic = await newTopic();
      for (const filter of ['attributes.backend = ', 'data = "x"', 'attributes:a and attributes:b', 'attributes:a AND attributes:b OR attributes:c', '(attributes:a']) {
        await expect(newSub(topic, { filter }), filter).rejects.toMatchObject({ code: 3 });
      }
    });

    it('stops redelivering an acknowledged message', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { ackDeadlineSeconds: 1 });
      await topic.publishMessage({ data: Buffer.from('once') });
      const [m] = await pullAll(sub.name, 1);
      expect(m?.data).toBe('once');
      await sleep(1800); // past the 1 s deadline: an unacked message would be back by now
      expect(await pullOnce(sub.name)).toEqual([]);
    });

    it('redelivers a nacked message promptly', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      const id = await topic.publishMessage({ data: Buffer.from('again') });
      const seen: Array<{ id: string; at: number }> = [];
      listen(sub.name).on('message', (m: Message) => {
        seen.push({ id: m.id, at: Date.now() });
        if (seen.length === 1) m.nack();
        else m.ack();
      });
      await waitFor(() => seen.length >= 2, 8000, 'the redelivery');
      expect(seen.map((s) => s.id)).toEqual([id, id]);
      expect(seen[1].at - seen[0].at).toBeLessThan(3000);
    });

    it.skipIf(!caps.nackBackoff)('waits the retry policy backoff before redelivering a nack', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } } });
      await topic.publishMessage({ data: Buffer.from('nack-me') });
      const first = await pullOnceUntil(sub.name);
      const t0 = Date.now();
      await sc.modifyAckDeadline({ subscription: sub.name, ackIds: [first.ackId], ackDeadlineSeconds: 0 });
      const again = await pullOnceUntil(sub.name);
      expect(again.id).toBe(first.id);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    });

    it('redelivers a message whose ack deadline expired', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { ackDeadlineSeconds: 2 });
      await topic.publishMessage({ data: Buffer.from('slow') });
      const first = await pullOnceUntil(sub.name);
      const t0 = Date.now();
      expect(await pullOnce(sub.name)).toEqual([]);
      const again = await pullOnceUntil(sub.name);
      expect(again.id).toBe(first.id);
      expect(again.ackId).not.toBe(first.ackId);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    });

    it('extends a lease with modifyAckDeadline', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { ackDeadlineSeconds: 1 });
      await topic.publishMessage({ data: Buffer.from('extend') });
      const first = await pullOnceUntil(sub.name);
      const t0 = Date.now();
      await sc.modifyAckDeadline({ subscription: sub.name, ackIds: [first.ackId], ackDeadlineSeconds: 4 });
      await sleep(2000);
      expect(await pullOnce(sub.name)).toEqual([]); // the original 1 s deadline has passed
      const again = await pullOnceUntil(sub.name);
      expect(again.id).toBe(first.id);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(3500);
    });

    it('pushes the documented JSON to an HTTP endpoint and retries on 500 until 200', async () => {
      const posts: Array<{ body: Record<string, unknown>; status: number }> = [];
      const server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          const status = posts.length < 2 ? 500 : 200;
          posts.push({ body: JSON.parse(raw), status });
          res.writeHead(status).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const topic = await newTopic();
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
        const sub = await newSub(topic, {
          pushConfig: { pushEndpoint: endpoint },
          retryPolicy: { minimumBackoff: { nanos: 100_000_000 }, maximumBackoff: { seconds: 1 } },
        });
        expect((await sub.getMetadata())[0].pushConfig?.pushEndpoint).toBe(endpoint);
        const id = await topic.publishMessage({ data: Buffer.from('pushed'), attributes: { backend: 'lab1' } });
        await waitFor(() => posts.some((p) => p.status === 200), 15_000, 'a successful push');
        const { body } = posts[0];
        expect(body.subscription).toBe(sub.name);
        const message = body.message as Record<string, unknown>;
        expect(Buffer.from(message.data as string, 'base64').toString()).toBe('pushed');
        expect(message).toMatchObject({ attributes: { backend: 'lab1' }, messageId: id, message_id: id });
        expect(message.publishTime).toBe(message.publish_time);
        expect(new Date(message.publishTime as string).toISOString()).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(posts.map((p) => p.status)).toEqual([500, 500, 200]);
        await sleep(1500);
        expect(posts).toHaveLength(3); // acked by the 200: no further POSTs
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });

    it('updates a topic and pages through topics', async () => {
      const topics = await Promise.all([newTopic(), newTopic(), newTopic()]);
      await topics[0].setMetadata({ messageRetentionDuration: { seconds: 3600 } });
      expect(Number((await topics[0].getMetadata())[0].messageRetentionDuration?.seconds)).toBe(3600);
      const names: string[] = [];
      let pageToken: string | undefined;
      do {
        const [page, next] = await pubsub.getTopics({ pageSize: 2, pageToken, autoPaginate: false });
        expect(page.length).toBeLessThanOrEqual(2);
        names.push(...page.map((t) => t.name));
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
      expect(names).toEqual(expect.arrayContaining(topics.map((t) => t.name)));
      expect(new Set(names).size).toBe(names.length);
    });

    it('switches a subscription between pull and push with modifyPushConfig', async () => {
      const bodies: string[] = [];
      const server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          bodies.push(raw);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const topic = await newTopic();
        const sub = await newSub(topic);
        await sub.modifyPushConfig({ pushEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
        await topic.publishMessage({ data: Buffer.from('to-push') });
        await waitFor(() => bodies.length === 1, 10_000, 'the push');
        expect(JSON.parse(bodies[0]).message.data).toBe(Buffer.from('to-push').toString('base64'));
        await sub.modifyPushConfig({});
        await topic.publishMessage({ data: Buffer.from('to-pull') });
        expect((await pullAll(sub.name, 1)).map((m) => m.data)).toEqual(['to-pull']);
        expect(bodies).toHaveLength(1);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });

    it('speaks StreamingPull: acks, nacks, deadline changes and keepalives over the stream', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      const stream = sc.streamingPull();
      const received: Received[] = [];
      const ended = new Promise<unknown>((resolve) => {
        stream.on('error', resolve);
        stream.on('end', () => resolve(undefined));
      });
      stream.on('data', (res: { receivedMessages?: Array<{ ackId: string; message: { messageId: string; data: Uint8Array } }> }) => {
        for (const r of res.receivedMessages ?? []) {
          received.push({ ackId: r.ackId, id: r.message.messageId, data: Buffer.from(r.message.data).toString(), attributes: {} });
        }
      });
      stream.write({ subscription: sub.name, streamAckDeadlineSeconds: 10 });
      for (const d of ['A', 'B', 'C']) await topic.publishMessage({ data: Buffer.from(d) });
      await waitFor(() => received.length >= 3, 8000, 'three messages on the stream');
      const byData = (d: string) => received.find((m) => m.data === d)!;
      stream.write({}); // what the client sends as a keepalive
      // A's lease is cut to 1 s and then acked: were the ack lost, A would be back within the wait below.
      stream.write({ modifyDeadlineAckIds: [byData('A').ackId], modifyDeadlineSeconds: [1] });
      stream.write({ ackIds: [byData('A').ackId] });
      stream.write({ modifyDeadlineAckIds: [byData('B').ackId, byData('C').ackId], modifyDeadlineSeconds: [0, 1] });
      await waitFor(() => received.filter((m) => m.data === 'B').length === 2, 5000, 'the nacked B again');
      stream.write({ ackIds: [received.filter((m) => m.data === 'B')[1].ackId] });
      stream.end();
      await ended;
      // C's lease was cut to 1 s, so it comes back to a plain Pull; A and B were acked.
      const after = await pullAll(sub.name, 2, 2500);
      expect(after.map((m) => m.data)).toEqual(['C']);
    });

    it('refuses a stream on an unknown subscription and ends streams of a deleted one with NOT_FOUND', async () => {
      const openStream = (subscription: string) => {
        const stream = sc.streamingPull();
        const status = new Promise<{ code?: number }>((resolve) => {
          stream.on('error', resolve);
          stream.on('end', () => resolve({ code: 0 }));
        });
        stream.on('data', () => undefined);
        stream.write({ subscription, streamAckDeadlineSeconds: 10 });
        return status;
      };
      expect((await openStream(`projects/${PROJECT}/subscriptions/${uniq('missing')}`)).code).toBe(5);
      const topic = await newTopic();
      const sub = await newSub(topic);
      const status = openStream(sub.name);
      await sleep(300);
      await sub.delete();
      expect((await status).code).toBe(5);
    });

    it('delivers the messages of each ordering key in publish order to a subscription with enableMessageOrdering', async () => {
      const topic = await newTopic();
      const ordered = await newSub(topic, { enableMessageOrdering: true });
      const unordered = await newSub(topic);
      expect((await ordered.getMetadata())[0].enableMessageOrdering).toBe(true);
      const publisher = pubsub.topic(topic.name, { messageOrdering: true });
      const keys = ['k1', 'k2', 'k3'];
      const sent: Promise<string>[] = [];
      for (let i = 0; i < 10; i++) for (const key of keys) sent.push(publisher.publishMessage({ data: Buffer.from(`${key}-${i}`), orderingKey: key }));
      for (let i = 0; i < 3; i++) sent.push(publisher.publishMessage({ data: Buffer.from(`none-${i}`) }));
      await Promise.all(sent);
      const byKey = new Map<string, number[]>();
      let count = 0;
      listen(ordered.name).on('message', (m: Message) => {
        const [key, i] = m.data.toString().split('-');
        expect(m.orderingKey).toBe(key === 'none' ? '' : key);
        byKey.set(key!, [...(byKey.get(key!) ?? []), Number(i)]);
        count++;
        m.ack();
      });
      await waitFor(() => count >= 33, 20_000, `33 ordered messages (got ${count})`);
      for (const key of keys) expect({ [key]: byKey.get(key) }).toEqual({ [key]: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
      expect([...(byKey.get('none') ?? [])].sort()).toEqual([0, 1, 2]);
      // Without enableMessageOrdering the keys carry no constraint: everything may be out at once.
      expect((await pullAll(unordered.name, 33)).length).toBe(33);
    });

    it.skipIf(!caps.orderedRedelivery)('ordering keys: one message per key outstanding; a nacked or expired one comes back before later ones of its key', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { enableMessageOrdering: true, ackDeadlineSeconds: 1 });
      const publisher = pubsub.topic(topic.name, { messageOrdering: true });
      await Promise.all([
        ...[0, 1, 2].map((i) => publisher.publishMessage({ data: Buffer.from(`k-${i}`), orderingKey: 'k' })),
        publisher.publishMessage({ data: Buffer.from('j-0'), orderingKey: 'j' }),
      ]);
      await sleep(200);
      const first = await pullOnce(sub.name);
      expect(first.map((m) => m.data).sort()).toEqual(['j-0', 'k-0']);
      const k0 = first.find((m) => m.data === 'k-0')!;
      await sc.modifyAckDeadline({ subscription: sub.name, ackIds: [k0.ackId], ackDeadlineSeconds: 0 });
      const again = await pullOnceUntil(sub.name);
      expect(again.data).toBe('k-0');
      await sc.acknowledge({ subscription: sub.name, ackIds: [again.ackId] });
      const next = await pullOnceUntil(sub.name);
      expect(next.data).toBe('k-1');
      // k-1's lease runs out unacked: k-1 comes back, still before k-2 (j-0 expires and returns too).
      await sleep(1300);
      const afterExpiry = await pullOnce(sub.name);
      expect(afterExpiry.map((m) => m.data).sort()).toEqual(['j-0', 'k-1']);
    });

    it('loses none of 500 messages and delivers each exactly once when acked', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic);
      const seen = new Map<string, number>();
      listen(sub.name).on('message', (m: Message) => {
        seen.set(m.data.toString(), (seen.get(m.data.toString()) ?? 0) + 1);
        m.ack();
      });
      const n = 500;
      await Promise.all(Array.from({ length: n }, (_, i) => topic.publishMessage({ data: Buffer.from(`m${i}`) })));
      await waitFor(() => seen.size === n, 20_000, `${n} messages (got ${seen.size})`);
      await sleep(500);
      expect(seen.size).toBe(n);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    });

    it.skipIf(!caps.faults)('delivers everything at least once under duplicates and lost acks', async () => {
      const topic = await newTopic();
      const sub = await newSub(topic, { ackDeadlineSeconds: 1 });
      caps.faults!({ duplicate: true, nackFraction: 0.3, seed: 7 });
      try {
        const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => topic.publishMessage({ data: Buffer.from(`f${i}`) })));
        const seen = new Map<string, number>();
        const until = Date.now() + 15_000;
        let lastMessageAt = Date.now();
        // Done once every message was seen and nothing came back for longer than the 1 s deadline.
        while (seen.size < ids.length || Date.now() - lastMessageAt < 1500) {
          expect(Date.now(), 'messages kept coming back').toBeLessThan(until);
          const batch = await pullOnce(sub.name);
          if (!batch.length) {
            await sleep(50);
            continue;
          }
          lastMessageAt = Date.now();
          for (const m of batch) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
          await sc.acknowledge({ subscription: sub.name, ackIds: batch.map((m) => m.ackId) });
        }
        expect([...seen.keys()].sort()).toEqual([...ids].sort());
        expect([...seen.values()].every((c) => c >= 2)).toBe(true);
      } finally {
        caps.faults!({});
      }
    });
  });
}
