// google.pubsub.v1.Publisher over the broker. Methods not listed here (snapshots of a topic aside)
// are answered UNIMPLEMENTED by grpc-js itself.
import type * as grpc from '@grpc/grpc-js';
import type { Broker, TopicProto } from './broker.js';
import { unary } from './errors.js';
import { parseProject } from './names.js';
import { paginate } from './paging.js';
import type { WireMessage } from './wire.js';

interface ListRequest {
  pageSize: number;
  pageToken: string;
}

export function publisherService(broker: Broker): grpc.UntypedServiceImplementation {
  return {
    CreateTopic: unary((req: TopicProto) => broker.createTopic(req)),
    GetTopic: unary((req: { topic: string }) => broker.getTopic(req.topic)),
    UpdateTopic: unary((req: { topic: TopicProto | null; updateMask: { paths: string[] } | null }) =>
      broker.updateTopic(req.topic ?? { name: '' }, req.updateMask?.paths ?? []),
    ),
    DeleteTopic: unary((req: { topic: string }) => {
      broker.deleteTopic(req.topic);
      return {};
    }),
    ListTopics: unary((req: ListRequest & { project: string }) => {
      const { page, nextPageToken } = paginate(broker.listTopics(parseProject(req.project)), req.pageSize, req.pageToken);
      return { topics: page, nextPageToken };
    }),
    ListTopicSubscriptions: unary((req: ListRequest & { topic: string }) => {
      const { page, nextPageToken } = paginate(broker.topicSubscriptions(req.topic), req.pageSize, req.pageToken);
      return { subscriptions: page, nextPageToken };
    }),
    // Snapshots are not emulated, so a topic never has any.
    ListTopicSnapshots: unary((req: { topic: string }) => {
      broker.getTopic(req.topic);
      return { snapshots: [], nextPageToken: '' };
    }),
    Publish: unary((req: { topic: string; messages: WireMessage[] }) => ({
      messageIds: broker.publish(req.topic, req.messages),
    })),
  };
}
