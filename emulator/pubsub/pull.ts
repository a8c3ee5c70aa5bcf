// Unary Pull: answer at once when messages are ready; otherwise wait briefly for some (long-poll),
// unless the deprecated returnImmediately asks for an immediate, possibly empty, answer.
import type * as grpc from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { invalidArgument, notFound } from './errors.js';
import type { Consumer } from './subscriptionQueue.js';
import type { WireReceivedMessage } from './wire.js';

/** How long an empty Pull waits for messages before answering with none. */
export const PULL_WAIT_MS = 2000;

interface PullRequest {
  subscription: string;
  returnImmediately: boolean;
  maxMessages: number;
}

export function pull(
  broker: Broker,
  req: PullRequest,
  call: grpc.ServerUnaryCall<unknown, unknown>,
): Promise<{ receivedMessages: WireReceivedMessage[] }> {
  const { queue } = broker.getSubscription(req.subscription);
  if (!(req.maxMessages > 0)) throw invalidArgument('max_messages must be greater than 0');
  return new Promise((resolve, reject) => {
    let claimed = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (receivedMessages: WireReceivedMessage[]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queue.removeConsumer(consumer);
      resolve({ receivedMessages });
    };
    const consumer: Consumer = {
      oneShot: true,
      maxOutstanding: () => req.maxMessages,
      accepting: () => !claimed && !done,
      claimed: () => (claimed = true),
      deliver: finish,
      closed: () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(notFound(`Subscription does not exist: ${req.subscription}`));
      },
    };
    queue.addConsumer(consumer);
    if (claimed || done) return;
    if (req.returnImmediately) return finish([]);
    const deadline = Number(call.getDeadline());
    const untilDeadline = Number.isFinite(deadline) ? deadline - Date.now() - 100 : PULL_WAIT_MS;
    timer = setTimeout(() => !claimed && finish([]), Math.max(0, Math.min(PULL_WAIT_MS, untilDeadline)));
    timer.unref(); // a stopping emulator must not wait for idle long-polls
    call.on('cancelled', () => !claimed && finish([]));
  });
}
