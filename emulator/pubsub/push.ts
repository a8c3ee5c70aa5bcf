// Push subscriptions: POST each message to pushConfig.pushEndpoint in Pub/Sub's JSON envelope.
// 102/200/201/202/204 acknowledge; anything else (or no answer within the ack deadline) is a
// nack, retried with exponential backoff. Concurrency per subscription is bounded.
import type { Broker, SubscriptionRecord } from './broker.js';
import { retryBackoff } from './subscriptionConfig.js';
import { backoffMs, type Backoff, type Consumer } from './subscriptionQueue.js';
import type { WireReceivedMessage } from './wire.js';

export interface PushOptions {
  /** Most POSTs in flight per subscription. */
  concurrency: number;
  /** Backoff between failed POSTs when the subscription has no retry policy. */
  backoff: Backoff;
}

export const DEFAULT_PUSH_OPTIONS: PushOptions = { concurrency: 16, backoff: { minMs: 10_000, maxMs: 600_000 } };

const SUCCESS = new Set([102, 200, 201, 202, 204]);

/** The body Google POSTs: both camelCase and snake_case ids and times, data in base64. */
export function pushEnvelope(subscription: string, m: WireReceivedMessage): string {
  const seconds = Number(m.message.publishTime?.seconds ?? 0);
  const publishTime = new Date(seconds * 1000 + Math.floor((m.message.publishTime?.nanos ?? 0) / 1e6)).toISOString();
  const message = {
    data: Buffer.from(m.message.data ?? Buffer.alloc(0)).toString('base64'),
    attributes: m.message.attributes ?? {},
    messageId: m.message.messageId,
    message_id: m.message.messageId,
    publishTime,
    publish_time: publishTime,
    ...(m.message.orderingKey ? { orderingKey: m.message.orderingKey } : {}),
  };
  return JSON.stringify({ message, subscription });
}

class PushWorker implements Consumer {
  private inflight = 0;
  private stopped = false;
  private readonly aborter = new AbortController();
  private readonly failures = new Map<string, number>();

  constructor(
    private record: SubscriptionRecord,
    private readonly options: PushOptions,
  ) {}

  update(record: SubscriptionRecord): void {
    this.record = record;
    this.record.queue.dispatch();
  }

  maxOutstanding = () => this.options.concurrency;
  accepting = () => !this.stopped && this.inflight < this.options.concurrency;

  deliver(batch: WireReceivedMessage[]): void {
    for (const m of batch) void this.post(m);
  }

  stop(): void {
    this.stopped = true;
    this.aborter.abort();
    this.record.queue.removeConsumer(this);
  }

  private async post(m: WireReceivedMessage): Promise<void> {
    const { proto, queue } = this.record;
    this.inflight++;
    let ok: boolean;
    try {
      const res = await fetch(proto.pushConfig!.pushEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: pushEnvelope(proto.name, m),
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(proto.ackDeadlineSeconds * 1000)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      ok = SUCCESS.has(res.status);
    } catch {
      ok = false; // refused, reset or timed out: the endpoint did not take the message
    } finally {
      this.inflight--;
    }
    if (this.stopped) return;
    const id = m.message.messageId ?? '';
    if (ok) {
      this.failures.delete(id);
      queue.acknowledge([m.ackId]);
    } else {
      const n = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, n);
      queue.nack(m.ackId, backoffMs(n, retryBackoff(proto) ?? this.options.backoff));
    }
    queue.dispatch();
  }
}

/** Keeps one worker per push subscription, following subscription changes from the broker. */
export class PushDeliverer {
  private readonly workers = new Map<string, PushWorker>();

  constructor(private readonly options: PushOptions = DEFAULT_PUSH_OPTIONS) {}

  attach(broker: Broker): void {
    broker.onSubscriptionChange = (name, record) => this.sync(name, record);
  }

  sync(name: string, record: SubscriptionRecord | undefined): void {
    const worker = this.workers.get(name);
    if (!record?.proto.pushConfig?.pushEndpoint) {
      worker?.stop();
      this.workers.delete(name);
      return;
    }
    if (worker) return worker.update(record);
    const fresh = new PushWorker(record, this.options);
    this.workers.set(name, fresh);
    record.queue.addConsumer(fresh);
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }
}
