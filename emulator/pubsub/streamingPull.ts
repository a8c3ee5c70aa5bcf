// Bidirectional StreamingPull. The first request names the subscription and the stream's ack
// deadline; later ones carry acks, deadline changes, or nothing at all (the client's keepalive).
// Flow control: a stream never holds more unacked messages than its maxOutstandingMessages.
import type * as grpc from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { invalidArgument, notFound, toServiceError } from './errors.js';
import type { Consumer, SubscriptionQueue } from './subscriptionQueue.js';
import type { WireReceivedMessage } from './wire.js';

interface StreamingPullRequest {
  subscription: string;
  ackIds: string[];
  modifyDeadlineSeconds: number[];
  modifyDeadlineAckIds: string[];
  streamAckDeadlineSeconds: number;
  maxOutstandingMessages: string;
}

type Call = grpc.ServerDuplexStream<StreamingPullRequest, unknown>;

function checkStreamDeadline(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 600) {
    throw invalidArgument(`Invalid stream_ack_deadline_seconds ${seconds}: must be between 10 and 600`);
  }
  return seconds;
}

/** Applies the acks and deadline changes a request carries, grouped by deadline. */
function applyRequest(queue: SubscriptionQueue, req: StreamingPullRequest): void {
  if (req.ackIds.length) queue.acknowledge(req.ackIds);
  if (req.modifyDeadlineAckIds.length !== req.modifyDeadlineSeconds.length) {
    throw invalidArgument('modify_deadline_seconds and modify_deadline_ack_ids must have the same length');
  }
  const bySeconds = new Map<number, string[]>();
  req.modifyDeadlineAckIds.forEach((id, i) => {
    const s = req.modifyDeadlineSeconds[i];
    bySeconds.set(s, [...(bySeconds.get(s) ?? []), id]);
  });
  for (const [seconds, ids] of bySeconds) queue.modifyAckDeadline(ids, seconds);
}

export function streamingPull(broker: Broker): grpc.handleBidiStreamingCall<StreamingPullRequest, unknown> {
  return (call: Call) => {
    let queue: SubscriptionQueue | undefined;
    let consumer: Consumer | undefined;
    let streamDeadlineS = 0;
    let maxOutstanding = Infinity;
    let writable = true;
    let over = false;

    const finish = (err?: unknown) => {
      if (over) return;
      over = true;
      if (queue && consumer) queue.removeConsumer(consumer);
      if (err) call.emit('error', toServiceError(err));
      else call.end();
    };

    const open = (req: StreamingPullRequest) => {
      if (!req.subscription) throw invalidArgument('The first StreamingPull request must name a subscription');
      const sub = broker.getSubscription(req.subscription);
      streamDeadlineS = checkStreamDeadline(req.streamAckDeadlineSeconds);
      maxOutstanding = Number(req.maxOutstandingMessages) > 0 ? Number(req.maxOutstandingMessages) : Infinity;
      queue = sub.queue;
      consumer = {
        maxOutstanding: () => maxOutstanding,
        accepting: () => writable && !over,
        ackDeadlineMs: () => (streamDeadlineS ? streamDeadlineS * 1000 : undefined),
        deliver: (batch: WireReceivedMessage[]) => {
          if (over) return; // the stream ended while a delayed batch was in flight: leases expire
          const properties = { exactlyOnceDeliveryEnabled: false, messageOrderingEnabled: !!sub.proto.enableMessageOrdering };
          if (!call.write({ receivedMessages: batch, subscriptionProperties: properties })) {
            writable = false;
            call.once('drain', () => {
              writable = true;
              queue?.dispatch();
            });
          }
        },
        closed: () => finish(notFound(`Subscription does not exist: ${req.subscription}`)),
      };
      queue.addConsumer(consumer);
    };

    call.on('data', (req: StreamingPullRequest) => {
      if (over) return;
      try {
        if (!queue) open(req);
        else if (req.streamAckDeadlineSeconds) streamDeadlineS = checkStreamDeadline(req.streamAckDeadlineSeconds);
        applyRequest(queue!, req);
      } catch (err) {
        finish(err);
      }
    });
    // The client half-closes when it stops; answer OK so it does not retry.
    call.on('end', () => finish());
    call.on('cancelled', () => finish());
    call.on('error', () => finish());
  };
}
