import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import { PUBSUB_PUBLISHED_TYPE } from '../functions/worker/decode';
import type { InstancePool } from './instancePool';

/**
 * Delivers a topic to an HTTP CloudEvent function the way Eventarc does in production: a subscription
 * on the topic, each message POSTed as a binary-mode CloudEvent
 * (`ce-type: google.cloud.pubsub.topic.v1.messagePublished`, body `{message, subscription}`), acked on a
 * 2xx, otherwise nacked after an exponential backoff so Pub/Sub redelivers it. Each POST goes to one of
 * the function's instances with a free slot (instancePool.ts).
 */
export interface PushBridgeOptions {
  pubsub: PubSub;
  projectId: string;
  topic: string;
  subscription: string;
  /** The function's instances. */
  targets: InstancePool;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxConcurrent?: number;
  log?: (line: string) => void;
}

export interface PushBridge {
  stats(): { delivered: number; ok: number; failed: number };
  stop(): Promise<void>;
}

export async function startPushBridge(opts: PushBridgeOptions): Promise<PushBridge> {
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const [sub] = await ensureSubscription(opts.pubsub, opts.topic, opts.subscription);
  const subscription: Subscription = opts.pubsub.subscription(sub.name, {
    flowControl: { maxMessages: opts.maxConcurrent ?? 16, allowExcessMessages: false },
  });
  const failures = new Map<string, number>(); // messageId → failed attempts, for the backoff
  const counts = { delivered: 0, ok: 0, failed: 0 };
  const timers = new Set<NodeJS.Timeout>();

  subscription.on('message', async (message: Message) => {
    counts.delivered++;
    let status = 0;
    try {
      status = await opts.targets.use(async (url) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'ce-id': message.id,
            'ce-specversion': '1.0',
            'ce-type': PUBSUB_PUBLISHED_TYPE,
            'ce-source': `//pubsub.googleapis.com/projects/${opts.projectId}/topics/${opts.topic}`,
            'ce-time': message.publishTime.toISOString(),
          },
          body: JSON.stringify({
            message: { data: message.data.toString('base64'), attributes: message.attributes, messageId: message.id, publishTime: message.publishTime.toISOString() },
            subscription: `projects/${opts.projectId}/subscriptions/${opts.subscription}`,
          }),
        });
        await res.arrayBuffer();
        return res.status;
      });
    } catch (err) {
      opts.log?.(`push bridge: POST to the worker failed: ${(err as Error).message}`);
    }
    if (status >= 200 && status < 300) {
      counts.ok++;
      failures.delete(message.id);
      message.ack();
      return;
    }
    counts.failed++;
    const attempt = (failures.get(message.id) ?? 0) + 1;
    failures.set(message.id, attempt);
    const delay = Math.min(maxBackoff, minBackoff * 2 ** (attempt - 1));
    opts.log?.(`push bridge: message ${message.id} got ${status || 'no answer'}; redelivery in ${delay} ms (attempt ${attempt})`);
    const t = setTimeout(() => { timers.delete(t); message.nack(); }, delay);
    timers.add(t);
  });
  subscription.on('error', (err) => opts.log?.(`push bridge: subscription error: ${err.message}`));

  return {
    stats: () => ({ ...counts }),
    async stop() {
      for (const t of timers) clearTimeout(t);
      await subscription.close();
    },
  };
}

async function ensureSubscription(pubsub: PubSub, topic: string, name: string) {
  const sub = pubsub.subscription(name);
  const [exists] = await sub.exists();
  if (exists) return sub.get();
  return pubsub.topic(topic).createSubscription(name, { ackDeadlineSeconds: 600 });
}
