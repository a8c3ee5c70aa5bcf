// The Pub/Sub contract against our emulator (always) and Google's (where this machine has it),
// plus the fault switch, which only ours has. Real client, real gRPC, loopback only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Duration, PubSub, v1, type Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPubSubContract } from '../../test/contract/pubsub.case.js';
import { findGooglePubSubEmulator, startGooglePubSubEmulator } from './google.js';
import { startPubSubEmulator, type PubSubEmulator } from './index.js';

let faultTarget: PubSubEmulator | undefined;
runPubSubContract({
  name: 'ours',
  make: async () => (faultTarget = await startPubSubEmulator()),
  capabilities: { faults: (f) => faultTarget!.setFaults(f) },
});

const googleBin = findGooglePubSubEmulator();
describe.skipIf(!googleBin)("Google's emulator", () => {
  runPubSubContract({
    name: 'google',
    make: async () => {
      const g = await startGooglePubSubEmulator();
      console.log(`Google's Pub/Sub emulator (pid ${g.pid}) started in ${g.startupMs} ms`);
      return g;
    },
    // Google's emulator (0.8.x) accepts and ignores filters, redelivers nacks at once whatever
    // the retry policy, and hands out every message of an ordering key at once: see README.md.
    capabilities: { filters: false, filterValidation: false, nackBackoff: false, orderedRedelivery: false },
  });

  it('leaves no JVM behind after stop()', async () => {
    const g = await startGooglePubSubEmulator();
    expect(g.child.alive()).toBe(true);
    await g.stop();
    expect(g.child.alive()).toBe(false);
    expect(() => process.kill(-g.pid, 0)).toThrow();
  });
});

describe('our emulator: fault switch, flow control, stats', () => {
  let emulator: PubSubEmulator;
  let pubsub: PubSub;
  let sc: v1.SubscriberClient;
  let n = 0;
  const uniq = (k: string) => `sv-faults-${Date.now().toString(36)}-${k}-${++n}`;

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    pubsub = new PubSub({ projectId: 'sortingview-test', apiEndpoint: emulator.host });
    const config = await pubsub.getClientConfig();
    sc = new v1.SubscriberClient({ ...config, port: Number(config.port) });
  });
  afterAll(async () => {
    await sc?.close();
    await pubsub?.close();
    await emulator?.stop();
  });

  it('duplicate: delivers each message twice, with two different ackIds', async () => {
    emulator.setFaults({ duplicate: true });
    try {
      const [topic] = await pubsub.createTopic(uniq('t'));
      const [sub] = await topic.createSubscription(uniq('s'));
      const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => topic.publishMessage({ data: Buffer.from(`d${i}`) })));
      const ackIds = new Map<string, string[]>();
      for (let tries = 0; [...ackIds.values()].flat().length < 20 && tries < 50; tries++) {
        const [res] = await sc.pull({ subscription: sub.name, maxMessages: 100, returnImmediately: true });
        for (const r of res.receivedMessages ?? []) ackIds.set(r.message!.messageId!, [...(ackIds.get(r.message!.messageId!) ?? []), r.ackId!]);
        if (res.receivedMessages?.length) await sc.acknowledge({ subscription: sub.name, ackIds: res.receivedMessages.map((r) => r.ackId!) });
      }
      expect([...ackIds.keys()].sort()).toEqual([...ids].sort());
      for (const pair of ackIds.values()) {
        expect(pair).toHaveLength(2);
        expect(pair[0]).not.toBe(pair[1]);
      }
    } finally {
      emulator.setFaults({});
    }
  });

  it('nackFraction: lost acks are redelivered and everything is acked in the end (streaming pull)', async () => {
    emulator.setFaults({ nackFraction: 0.3, seed: 42 });
    try {
      const before = emulator.stats();
      const [topic] = await pubsub.createTopic(uniq('t'));
      const [created] = await topic.createSubscription(uniq('s'), { ackDeadlineSeconds: 1 });
      // A short client lease, so a lost ack comes back after ~1 s instead of the client's 10 s.
      const sub = pubsub.subscription(created.name, { minAckDeadline: Duration.from({ seconds: 1 }), maxAckDeadline: Duration.from({ seconds: 1 }) });
      const seen = new Map<string, number>();
      sub.on('message', (m: Message) => {
        seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
        m.ack();
      });
      const n = 40;
      await Promise.all(Array.from({ length: n }, (_, i) => topic.publishMessage({ data: Buffer.from(`n${i}`) })));
      const until = Date.now() + 20_000;
      while (emulator.stats().acked - before.acked < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      await sub.close();
      const after = emulator.stats();
      expect(after.acked - before.acked).toBe(n);
      expect(seen.size).toBe(n);
      expect(after.redelivered - before.redelivered).toBeGreaterThan(0);
      expect([...seen.values()].some((c) => c > 1)).toBe(true);
    } finally {
      emulator.setFaults({});
    }
  });

  it('delayMs: holds every delivery back by the delay', async () => {
    emulator.setFaults({ delayMs: 300 });
    try {
      const [topic] = await pubsub.createTopic(uniq('t'));
      const [sub] = await topic.createSubscription(uniq('s'));
      await topic.publishMessage({ data: Buffer.from('slow') });
      const t0 = Date.now();
      const [res] = await sc.pull({ subscription: sub.name, maxMessages: 10 });
      expect(res.receivedMessages).toHaveLength(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    } finally {
      emulator.setFaults({});
    }
  });

  it('counts published, delivered, acked, nacked and redelivered messages', async () => {
    const before = emulator.stats();
    const [topic] = await pubsub.createTopic(uniq('t'));
    const [sub] = await topic.createSubscription(uniq('s'));
    await topic.publishMessage({ data: Buffer.from('x') });
    const pullOne = async () => {
      for (;;) {
        const [res] = await sc.pull({ subscription: sub.name, maxMessages: 1 });
        if (res.receivedMessages?.length) return res.receivedMessages[0].ackId!;
      }
    };
    await sc.modifyAckDeadline({ subscription: sub.name, ackIds: [await pullOne()], ackDeadlineSeconds: 0 });
    await sc.acknowledge({ subscription: sub.name, ackIds: [await pullOne()] });
    const after = emulator.stats();
    expect({
      published: after.published - before.published,
      delivered: after.delivered - before.delivered,
      acked: after.acked - before.acked,
      nacked: after.nacked - before.nacked,
      redelivered: after.redelivered - before.redelivered,
    }).toEqual({ published: 1, delivered: 2, acked: 1, nacked: 1, redelivered: 1 });
  });

  it('StreamingPull holds a stream to its maxOutstandingMessages', async () => {
    const [topic] = await pubsub.createTopic(uniq('t'));
    const [created] = await topic.createSubscription(uniq('s'));
    const sub = pubsub.subscription(created.name, {
      flowControl: { maxMessages: 5, allowExcessMessages: false },
      streamingOptions: { maxStreams: 1 },
    });
    const held: Message[] = [];
    let release = false;
    const seen = new Set<string>();
    sub.on('message', (m: Message) => {
      seen.add(m.id);
      if (release) m.ack();
      else held.push(m);
    });
    try {
      const before = emulator.stats().delivered;
      await Promise.all(Array.from({ length: 30 }, (_, i) => topic.publishMessage({ data: Buffer.from(`fc${i}`) })));
      const until = Date.now() + 5000;
      while (held.length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500));
      expect(emulator.stats().delivered - before).toBe(5); // the server sent no more than the stream may hold
      release = true;
      for (const m of held) m.ack();
      const done = Date.now() + 10_000;
      while (seen.size < 30 && Date.now() < done) await new Promise((r) => setTimeout(r, 20));
      expect(seen.size).toBe(30);
    } finally {
      await sub.close();
    }
  });
});

describe('our emulator: CLI (main.ts)', () => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const startCli = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', 'emulator/pubsub/main.ts', '--port', '0'], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints PUBSUB_EMULATOR_HOST, serves the real client, and exits 0 on SIGTERM', async () => {
    const child = startCli({ SORTINGVIEW_PUBSUB_FAULTS: '{"duplicate":true}' });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const until = Date.now() + 15_000;
      // Two lines, possibly in two chunks: wait for the faults line too.
      while (!/faults: .*\n/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const host = /PUBSUB_EMULATOR_HOST=(\S+)/.exec(out)?.[1];
      expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(out).toContain('"duplicate":true');
      const client = new PubSub({ projectId: 'sortingview-test', apiEndpoint: host });
      const [topic] = await client.createTopic('cli-topic');
      expect(topic.name).toBe('projects/sortingview-test/topics/cli-topic');
      await client.close();
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a malformed SORTINGVIEW_PUBSUB_FAULTS with a message that says what is expected', async () => {
    const child = startCli({ SORTINGVIEW_PUBSUB_FAULTS: '{"nackFraction":"lots"}' });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/SORTINGVIEW_PUBSUB_FAULTS.*nackFraction.*Expected JSON like/s);
  });
});
