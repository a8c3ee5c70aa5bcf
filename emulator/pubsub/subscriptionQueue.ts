// One subscription's messages: a ready queue, leases with ack deadlines, backoff after nacks, and
// the consumers (Pull calls, StreamingPull streams, push workers) that messages are handed to.
// At-least-once, like Google: an unacked message comes back when its lease runs out.
// On a subscription with enableMessageOrdering, messages of one ordering key go out in publish
// order, one at a time: the next is handed out only once the previous one is acked, so a nacked
// or expired message comes back before any later message of its key.
import { invalidArgument } from './errors.js';
import type { FaultSwitch } from './faults.js';
import { toWireMessage, type StoredMessage, type WireReceivedMessage } from './wire.js';

export interface Consumer {
  /** Most messages this consumer may hold unacked at once (Infinity = no limit). */
  maxOutstanding(): number;
  /** False while the consumer cannot take messages (e.g. a stream waiting for 'drain'). */
  accepting(): boolean;
  /** Lease length for messages given to this consumer; undefined = the subscription's. */
  ackDeadlineMs?(): number | undefined;
  deliver(batch: WireReceivedMessage[]): void;
  /** A Pull call: it takes one batch and is then removed, before the (maybe delayed) delivery. */
  oneShot?: boolean;
  /** Called synchronously when messages are leased to it, even if delivery is delayed by a fault. */
  claimed?(): void;
  /** The subscription was deleted: pending pulls and open streams end with NOT_FOUND. */
  closed?(): void;
}

export interface Backoff {
  minMs: number;
  maxMs: number;
}

export interface QueueConfig {
  ackDeadlineMs: number;
  /** Backoff before redelivering a nacked or expired message; undefined = redeliver at once. */
  retry?: Backoff;
  /** deliveryAttempt is only reported when dead-lettering is configured, as Google does. */
  reportDeliveryAttempt: boolean;
  /** enableMessageOrdering: per ordering key, publish order and one message outstanding. */
  ordered?: boolean;
}

export interface DeliveryStats {
  delivered: number;
  acked: number;
  nacked: number;
  redelivered: number;
}

interface Entry {
  message: StoredMessage;
  attempts: number;
  availableAtMs: number;
  lease?: { ackId: string; deadlineMs: number; holder?: Consumer };
  ackIds: string[];
}

const MAX_BATCH = 1000;
const ACK_ID = /^(\d+)-(\d+)$/;

/** Exponential backoff for the n-th attempt (1-based), as Pub/Sub's retry policy describes. */
export function backoffMs(attempt: number, b: Backoff): number {
  return Math.min(b.maxMs, b.minMs * 2 ** Math.max(0, attempt - 1));
}

export class SubscriptionQueue {
  private ready: Entry[] = [];
  private readonly delayed = new Set<Entry>();
  private readonly leased = new Set<Entry>();
  private readonly byAckId = new Map<string, Entry>();
  private readonly consumers: Consumer[] = [];
  private readonly held = new Map<Consumer, number>();
  private nextAck = 0;
  private dispatching = false;
  private dispatchAgain = false;

  constructor(
    private readonly id: number,
    private readonly deps: { now: () => number; faults: FaultSwitch; stats: DeliveryStats; config: () => QueueConfig },
  ) {}

  /** Queues a message; the publisher calls dispatch() once per request, so batches stay batches. */
  enqueue(message: StoredMessage): void {
    this.ready.push({ message, attempts: 0, availableAtMs: 0, ackIds: [] });
  }

  addConsumer(c: Consumer): void {
    this.consumers.push(c);
    this.dispatch();
  }

  /** Leases the consumer holds keep running; they expire unless acked through another path. */
  removeConsumer(c: Consumer): void {
    const i = this.consumers.indexOf(c);
    if (i >= 0) this.consumers.splice(i, 1);
    this.held.delete(c);
    for (const e of this.leased) if (e.lease?.holder === c) e.lease.holder = undefined;
  }

  acknowledge(ackIds: string[]): void {
    // Validate every ackId before acting on any, so a bad request changes nothing.
    for (const entry of ackIds.map((id) => this.lookup(id))) {
      // A lost ack (fault injection) leaves the lease running, so the message returns at its deadline.
      if (!entry || this.deps.faults.loseAck()) continue;
      this.deps.stats.acked++;
      this.forget(entry);
    }
    this.dispatch();
  }

  /** seconds = 0 is a nack. Only the latest delivery's ackId may move a lease. */
  modifyAckDeadline(ackIds: string[], seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 600) {
      throw invalidArgument(`Invalid ack deadline ${seconds}: must be between 0 and 600 seconds`);
    }
    const entries = ackIds.map((id) => this.lookup(id));
    ackIds.forEach((ackId, i) => {
      const entry = entries[i];
      if (!entry?.lease || entry.lease.ackId !== ackId) return;
      if (seconds === 0) this.nack(ackId);
      else entry.lease.deadlineMs = this.deps.now() + seconds * 1000;
    });
    this.dispatch();
  }

  /** Releases a lease now; the message is redelivered after delayMs (default: the retry policy). */
  nack(ackId: string, delayMs?: number): void {
    const entry = this.byAckId.get(ackId);
    if (!entry?.lease || entry.lease.ackId !== ackId) return;
    this.deps.stats.nacked++;
    this.release(entry, delayMs);
    this.dispatch();
  }

  /** Called by the emulator's clock: expires leases, ends backoffs, hands out what became ready. */
  tick(): void {
    const now = this.deps.now();
    for (const e of this.leased) if (e.lease && e.lease.deadlineMs <= now) this.release(e);
    for (const e of this.delayed) {
      if (e.availableAtMs <= now) {
        this.delayed.delete(e);
        this.ready.unshift(e);
      }
    }
    if (this.ready.length) this.dispatch();
  }

  /** Hands ready messages to consumers, a fair share each, as far as their flow control allows. */
  dispatch(): void {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        const open = this.consumers.filter((c) => this.capacity(c) > 0);
        for (const c of open) {
          if (!this.ready.length) break;
          if (!this.consumers.includes(c)) continue;
          const share = Math.ceil(this.ready.length / open.length);
          const n = Math.min(this.capacity(c), share, MAX_BATCH);
          const batch = n > 0 ? this.take(n) : [];
          if (batch.length > 0) this.handOver(c, batch);
        }
      } while (this.dispatchAgain && this.ready.length);
    } finally {
      this.dispatching = false;
    }
  }

  /** Subscription deleted: drop all messages and tell every consumer. */
  close(): void {
    const consumers = [...this.consumers];
    this.consumers.length = 0;
    this.ready = [];
    this.delayed.clear();
    this.leased.clear();
    this.byAckId.clear();
    for (const c of consumers) c.closed?.();
  }

  /**
   * Removes up to n entries from the ready queue, in order. On an ordered subscription an entry
   * with an ordering key waits while another message of its key is leased, backing off or already
   * in this batch. The ready queue keeps each key's messages in publish order: a released message
   * goes back to the front, and it is its key's earliest unacked one, the only one out.
   */
  private take(n: number): Entry[] {
    if (!this.deps.config().ordered) return this.ready.splice(0, n);
    const busy = new Set<string>();
    for (const e of this.leased) if (e.message.orderingKey) busy.add(e.message.orderingKey);
    for (const e of this.delayed) if (e.message.orderingKey) busy.add(e.message.orderingKey);
    const taken: Entry[] = [];
    const kept: Entry[] = [];
    for (const e of this.ready) {
      const key = e.message.orderingKey;
      if (taken.length < n && !(key && busy.has(key))) {
        taken.push(e);
        if (key) busy.add(key);
      } else {
        kept.push(e);
      }
    }
    this.ready = kept;
    return taken;
  }

  private capacity(c: Consumer): number {
    if (!c.accepting()) return 0;
    return c.maxOutstanding() - (this.held.get(c) ?? 0);
  }

  private handOver(c: Consumer, entries: Entry[]): void {
    const { faults, stats, now } = this.deps;
    const config = this.deps.config();
    const delay = faults.delayMs;
    const deadlineMs = now() + delay + (c.ackDeadlineMs?.() ?? config.ackDeadlineMs);
    const batch = entries.map((entry): WireReceivedMessage => {
      const ackId = `${this.id}-${++this.nextAck}`;
      entry.attempts++;
      entry.lease = { ackId, deadlineMs, holder: c };
      entry.ackIds.push(ackId);
      this.byAckId.set(ackId, entry);
      this.leased.add(entry);
      stats.delivered++;
      if (entry.attempts > 1) stats.redelivered++;
      const deliveryAttempt = config.reportDeliveryAttempt ? entry.attempts : 0;
      return { ackId, message: toWireMessage(entry.message), deliveryAttempt };
    });
    if (c.oneShot) this.removeConsumer(c);
    else this.held.set(c, (this.held.get(c) ?? 0) + batch.length);
    c.claimed?.();
    if (delay > 0) setTimeout(() => c.deliver(batch), delay).unref();
    else c.deliver(batch);
  }

  private lookup(ackId: string): Entry | undefined {
    const m = ACK_ID.exec(ackId);
    if (!m) throw invalidArgument(`Invalid ack id (ack_id=${ackId})`);
    return Number(m[1]) === this.id ? this.byAckId.get(ackId) : undefined;
  }

  private unlease(entry: Entry): void {
    const holder = entry.lease?.holder;
    if (holder && this.held.has(holder)) this.held.set(holder, Math.max(0, this.held.get(holder)! - 1));
    entry.lease = undefined;
    this.leased.delete(entry);
  }

  private release(entry: Entry, delayMs?: number): void {
    this.unlease(entry);
    const retry = this.deps.config().retry;
    const wait = delayMs ?? (retry ? backoffMs(entry.attempts, retry) : 0);
    if (wait > 0) {
      entry.availableAtMs = this.deps.now() + wait;
      this.delayed.add(entry);
    } else {
      this.ready.unshift(entry);
    }
  }

  private forget(entry: Entry): void {
    this.unlease(entry);
    this.delayed.delete(entry);
    const i = this.ready.indexOf(entry);
    if (i >= 0) this.ready.splice(i, 1);
    for (const id of entry.ackIds) this.byAckId.delete(id);
  }
}
