// google.pubsub.v1.Subscriber over the broker. Snapshots and Seek are not emulated and are
// answered UNIMPLEMENTED by grpc-js, since they have no handler here.
import type * as grpc from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { unary } from './errors.js';
import { parseProject } from './names.js';
import { paginate } from './paging.js';
import { pull } from './pull.js';
import { streamingPull } from './streamingPull.js';
import type { SubscriptionProto } from './subscriptionConfig.js';

export function subscriberService(broker: Broker): grpc.UntypedServiceImplementation {
  return {
    CreateSubscription: unary((req: SubscriptionProto) => broker.createSubscription(req)),
    GetSubscription: unary((req: { subscription: string }) => broker.getSubscription(req.subscription).proto),
    UpdateSubscription: unary(
      (req: { subscription: SubscriptionProto | null; updateMask: { paths: string[] } | null }) =>
        broker.updateSubscription(req.subscription ?? ({ name: '' } as SubscriptionProto), req.updateMask?.paths ?? []),
    ),
    DeleteSubscription: unary((req: { subscription: string }) => {
      broker.deleteSubscription(req.subscription);
      return {};
    }),
    ListSubscriptions: unary((req: { project: string; pageSize: number; pageToken: string }) => {
      const all = broker.listSubscriptions(parseProject(req.project));
      const { page, nextPageToken } = paginate(all, req.pageSize, req.pageToken);
      return { subscriptions: page, nextPageToken };
    }),
    ModifyPushConfig: unary((req: { subscription: string; pushConfig: SubscriptionProto['pushConfig'] }) => {
      broker.modifyPushConfig(req.subscription, req.pushConfig);
      return {};
    }),
    ModifyAckDeadline: unary((req: { subscription: string; ackIds: string[]; ackDeadlineSeconds: number }) => {
      broker.getSubscription(req.subscription).queue.modifyAckDeadline(req.ackIds, req.ackDeadlineSeconds);
      return {};
    }),
    Acknowledge: unary((req: { subscription: string; ackIds: string[] }) => {
      broker.getSubscription(req.subscription).queue.acknowledge(req.ackIds);
      return {};
    }),
    Pull: unary((req: Parameters<typeof pull>[1], call) => pull(broker, req, call)),
    StreamingPull: streamingPull(broker),
  };
}
