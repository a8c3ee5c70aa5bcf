// Shapes of the decoded protobuf objects the handlers touch, and the conversions between proto
// Durations/Timestamps and milliseconds. proto-loader hands us camelCase, int64 as strings.

export interface Duration {
  seconds?: string | number | null;
  nanos?: number | null;
}

export interface Timestamp {
  seconds: string;
  nanos: number;
}

/** A published message as the broker keeps it. */
export interface StoredMessage {
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
  publishTimeMs: number;
}

/** google.pubsub.v1.PubsubMessage as proto-loader decodes it. */
export interface WireMessage {
  data?: Buffer | null;
  attributes?: Record<string, string> | null;
  messageId?: string;
  orderingKey?: string;
  publishTime?: Timestamp | null;
}

/** google.pubsub.v1.ReceivedMessage as we encode it. */
export interface WireReceivedMessage {
  ackId: string;
  message: WireMessage;
  deliveryAttempt: number;
}

export function durationToMs(d: Duration | null | undefined): number | undefined {
  if (!d) return undefined;
  return Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

export function msToDuration(ms: number): { seconds: string; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round(ms - seconds * 1000) * 1e6 };
}

export function msToTimestamp(ms: number): Timestamp {
  const { seconds, nanos } = msToDuration(ms);
  return { seconds, nanos };
}

export function toWireMessage(m: StoredMessage): WireMessage {
  return {
    data: m.data,
    attributes: m.attributes,
    messageId: m.messageId,
    orderingKey: m.orderingKey,
    publishTime: msToTimestamp(m.publishTimeMs),
  };
}
