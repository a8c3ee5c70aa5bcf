// Validation and defaults for google.pubsub.v1.Subscription, and the update-mask rules of
// UpdateSubscription / UpdateTopic. Everything else the client sends is kept and echoed back.
import { invalidArgument } from './errors.js';
import { parseFilter, type FilterExpr } from './filter.js';
import type { Backoff, QueueConfig } from './subscriptionQueue.js';
import { durationToMs, msToDuration, type Duration } from './wire.js';

/** The decoded Subscription message; only the fields we interpret are typed. */
export interface SubscriptionProto {
  name: string;
  topic: string;
  ackDeadlineSeconds: number;
  filter: string;
  pushConfig: { pushEndpoint: string; attributes: Record<string, string> } | null;
  retryPolicy: { minimumBackoff: Duration | null; maximumBackoff: Duration | null } | null;
  deadLetterPolicy: { deadLetterTopic: string; maxDeliveryAttempts: number } | null;
  messageRetentionDuration: Duration | null;
  [field: string]: unknown;
}

const DEFAULT_ACK_DEADLINE_S = 10;
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
// Google's defaults for a retry policy whose bounds are left out.
const DEFAULT_RETRY: Backoff = { minMs: 10_000, maxMs: 600_000 };
const MAX_BACKOFF_MS = 600_000;

export interface NormalizedSubscription {
  proto: SubscriptionProto;
  filter: FilterExpr;
}

/**
 * Fills defaults and refuses what Google refuses. ackDeadlineSeconds 1–9 is accepted (Google's
 * emulator does too, and it lets tests exercise expiry quickly); 0 means the 10 s default.
 */
export function normalizeSubscription(input: SubscriptionProto): NormalizedSubscription {
  const proto: SubscriptionProto = { ...input };
  const ack = proto.ackDeadlineSeconds ?? 0;
  if (!Number.isInteger(ack) || ack < 0 || ack > 600) {
    throw invalidArgument(`Invalid ack_deadline_seconds ${ack}: must be between 10 and 600 (0 = default 10)`);
  }
  proto.ackDeadlineSeconds = ack || DEFAULT_ACK_DEADLINE_S;
  const filter = parseFilter(proto.filter ?? '');
  proto.pushConfig = normalizePushConfig(proto.pushConfig);
  if (proto.retryPolicy) {
    const b = retryBackoff(proto);
    proto.retryPolicy = { minimumBackoff: msToDuration(b!.minMs), maximumBackoff: msToDuration(b!.maxMs) };
  }
  proto.messageRetentionDuration ??= msToDuration(DEFAULT_RETENTION_MS);
  proto.state = 'ACTIVE';
  return { proto, filter };
}

export function normalizePushConfig(pc: SubscriptionProto['pushConfig']): NonNullable<SubscriptionProto['pushConfig']> {
  const config = { ...(pc ?? {}), pushEndpoint: pc?.pushEndpoint ?? '', attributes: pc?.attributes ?? {} };
  if (config.pushEndpoint) {
    let url: URL | undefined;
    try {
      url = new URL(config.pushEndpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalidArgument(`Invalid push endpoint "${config.pushEndpoint}": use an http:// or https:// URL`);
    }
  }
  return config;
}

/** The retry policy's bounds in ms, or undefined when the subscription has none. */
export function retryBackoff(proto: SubscriptionProto): Backoff | undefined {
  const rp = proto.retryPolicy;
  if (!rp) return undefined;
  const minMs = durationToMs(rp.minimumBackoff) ?? DEFAULT_RETRY.minMs;
  const maxMs = durationToMs(rp.maximumBackoff) ?? DEFAULT_RETRY.maxMs;
  if (minMs < 0 || maxMs > MAX_BACKOFF_MS || minMs > maxMs) {
    throw invalidArgument(`Invalid retry_policy: need 0 <= minimum_backoff <= maximum_backoff <= 600s (got ${minMs} ms, ${maxMs} ms)`);
  }
  return { minMs, maxMs };
}

export function queueConfig(proto: SubscriptionProto): QueueConfig {
  return {
    ackDeadlineMs: proto.ackDeadlineSeconds * 1000,
    retry: retryBackoff(proto),
    reportDeliveryAttempt: !!proto.deadLetterPolicy?.deadLetterTopic,
    ordered: !!proto.enableMessageOrdering,
  };
}

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Applies an update mask: copies each named top-level field from `patch` onto `current`.
 * Fields that Google does not allow to change are refused with INVALID_ARGUMENT.
 */
export function applyUpdateMask<T extends Record<string, unknown>>(
  current: T,
  patch: Record<string, unknown>,
  paths: string[],
  immutable: string[],
): T {
  if (paths.length === 0) throw invalidArgument('update_mask must name at least one field');
  const next: Record<string, unknown> = { ...current };
  for (const path of paths) {
    const field = snakeToCamel(path.split('.')[0]);
    if (immutable.includes(field)) throw invalidArgument(`Field ${path} cannot be updated`);
    if (!(field in patch)) throw invalidArgument(`Invalid update_mask path: ${path}`);
    next[field] = patch[field];
  }
  return next as T;
}
