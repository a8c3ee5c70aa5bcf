// The emulator's state: topics, subscriptions and the publish fan-out. Protocol-agnostic: the
// gRPC services translate requests into these calls, and errors are typed PubSubErrors.
import { alreadyExists, invalidArgument, notFound } from './errors.js';
import type { FaultSwitch } from './faults.js';
import { matchesFilter, type FilterExpr } from './filter.js';
import { DELETED_TOPIC, parseName } from './names.js';
import { applyUpdateMask, normalizeSubscription, queueConfig, type SubscriptionProto } from './subscriptionConfig.js';
import { SubscriptionQueue, type DeliveryStats } from './subscriptionQueue.js';
import type { StoredMessage, WireMessage } from './wire.js';

export interface TopicProto {
  name: string;
  [field: string]: unknown;
}

export interface SubscriptionRecord {
  proto: SubscriptionProto;
  filter: FilterExpr;
  queue: SubscriptionQueue;
}

export interface BrokerStats extends DeliveryStats {
  published: number;
}

const TOPIC_IMMUTABLE = ['name'];
const SUBSCRIPTION_IMMUTABLE = ['name', 'topic', 'filter', 'enableMessageOrdering'];

export class Broker {
  readonly stats: BrokerStats = { published: 0, delivered: 0, acked: 0, nacked: 0, redelivered: 0 };
  private readonly topics = new Map<string, TopicProto>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private nextMessageId = 0;
  private nextQueueId = 0;
  /** Told when a subscription appears, changes or goes away (the push deliverer listens). */
  onSubscriptionChange: (name: string, record: SubscriptionRecord | undefined) => void = () => {};

  constructor(private readonly deps: { now: () => number; faults: FaultSwitch }) {}

  createTopic(topic: TopicProto): TopicProto {
    parseName(topic.name, 'topics');
    if (this.topics.has(topic.name)) throw alreadyExists('Topic already exists');
    const stored = { ...topic, state: 'ACTIVE' };
    this.topics.set(topic.name, stored);
    return stored;
  }

  getTopic(name: string): TopicProto {
    parseName(name, 'topics');
    const topic = this.topics.get(name);
    if (!topic) throw notFound(`Topic not found: ${name}`);
    return topic;
  }

  updateTopic(patch: TopicProto, paths: string[]): TopicProto {
    const next = applyUpdateMask(this.getTopic(patch.name), patch, paths, TOPIC_IMMUTABLE);
    this.topics.set(next.name, next);
    return next;
  }

  /** Subscriptions outlive their topic and then report `_deleted-topic_`, as on Google. */
  deleteTopic(name: string): void {
    this.getTopic(name);
    this.topics.delete(name);
    for (const sub of this.subscriptions.values()) {
      if (sub.proto.topic === name) sub.proto = { ...sub.proto, topic: DELETED_TOPIC };
    }
  }

  listTopics(project: string): TopicProto[] {
    return [...this.topics.values()].filter((t) => parseName(t.name, 'topics').project === project);
  }

  topicSubscriptions(topic: string): string[] {
    this.getTopic(topic);
    return [...this.subscriptions.values()].filter((s) => s.proto.topic === topic).map((s) => s.proto.name);
  }

  /** Assigns ids and publish time, then gives each subscription the messages its filter accepts. */
  publish(topic: string, messages: WireMessage[]): string[] {
    this.getTopic(topic);
    if (messages.length === 0) throw invalidArgument('Publish needs at least one message');
    if (messages.some((m) => !m.data?.length && Object.keys(m.attributes ?? {}).length === 0)) {
      throw invalidArgument('Some messages are empty: each needs data or at least one attribute');
    }
    const publishTimeMs = this.deps.now();
    const targets = [...this.subscriptions.values()].filter((s) => s.proto.topic === topic);
    const ids = messages.map((m) => {
      const stored: StoredMessage = {
        messageId: String(++this.nextMessageId),
        data: Buffer.from(m.data ?? Buffer.alloc(0)),
        attributes: { ...(m.attributes ?? {}) },
        orderingKey: m.orderingKey ?? '',
        publishTimeMs,
      };
      this.stats.published++;
      for (const sub of targets) {
        // Google acknowledges non-matching messages on the subscription's behalf: they never appear.
        if (!matchesFilter(sub.filter, stored.attributes)) continue;
        sub.queue.enqueue(stored);
        if (this.deps.faults.duplicate) sub.queue.enqueue(stored);
      }
      return stored.messageId;
    });
    for (const sub of targets) sub.queue.dispatch();
    return ids;
  }

  createSubscription(input: SubscriptionProto): SubscriptionProto {
    parseName(input.name, 'subscriptions');
    parseName(input.topic, 'topics');
    if (this.subscriptions.has(input.name)) throw alreadyExists('Subscription already exists');
    if (!this.topics.has(input.topic)) throw notFound(`Subscription topic does not exist: ${input.topic}`);
    const { proto, filter } = normalizeSubscription(input);
    const record: SubscriptionRecord = { proto, filter, queue: undefined! };
    record.queue = new SubscriptionQueue(++this.nextQueueId, {
      now: this.deps.now,
      faults: this.deps.faults,
      stats: this.stats,
      config: () => queueConfig(record.proto),
    });
    this.subscriptions.set(proto.name, record);
    this.onSubscriptionChange(proto.name, record);
    return proto;
  }

  getSubscription(name: string): SubscriptionRecord {
    parseName(name, 'subscriptions');
    const sub = this.subscriptions.get(name);
    if (!sub) throw notFound(`Subscription does not exist: ${name}`);
    return sub;
  }

  updateSubscription(patch: SubscriptionProto, paths: string[]): SubscriptionProto {
    const record = this.getSubscription(patch.name);
    const merged = applyUpdateMask(record.proto, patch, paths, SUBSCRIPTION_IMMUTABLE);
    record.proto = normalizeSubscription(merged).proto;
    this.onSubscriptionChange(record.proto.name, record);
    return record.proto;
  }

  modifyPushConfig(name: string, pushConfig: SubscriptionProto['pushConfig']): void {
    const record = this.getSubscription(name);
    record.proto = normalizeSubscription({ ...record.proto, pushConfig }).proto;
    this.onSubscriptionChange(name, record);
  }

  deleteSubscription(name: string): void {
    const record = this.getSubscription(name);
    this.subscriptions.delete(name);
    record.queue.close();
    this.onSubscriptionChange(name, undefined);
  }

  listSubscriptions(project: string): SubscriptionProto[] {
    return [...this.subscriptions.values()]
      .filter((s) => parseName(s.proto.name, 'subscriptions').project === project)
      .map((s) => s.proto);
  }

  /** Advances deadlines and backoffs everywhere; the emulator calls this on a short timer. */
  tick(): void {
    for (const sub of this.subscriptions.values()) sub.queue.tick();
  }
}
