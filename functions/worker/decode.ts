import { z } from 'zod';
import { taskMessageSchema, type TaskMessage } from '../../core/protocol';

export const PUBSUB_PUBLISHED_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';

/** The CloudEvent Eventarc delivers for a Pub/Sub message (data in its JSON form). */
const pubsubEventSchema = z.object({
  type: z.literal(PUBSUB_PUBLISHED_TYPE),
  data: z.object({
    message: z.object({
      data: z.string(),
      attributes: z.record(z.string(), z.string()).optional(),
      messageId: z.string().optional(),
    }),
    subscription: z.string().optional(),
  }),
});

/** A message that no retry can fix: logged and acknowledged, never redelivered forever. */
export class UndeliverableMessage extends Error {
  override name = 'UndeliverableMessage';
}

export function decodeTaskEvent(event: unknown): { message: TaskMessage; messageId: string } {
  const ev = pubsubEventSchema.safeParse(event);
  if (!ev.success) throw new UndeliverableMessage(`Not a Pub/Sub messagePublished CloudEvent: ${ev.error.issues[0]?.message}`);
  const { data, attributes, messageId } = ev.data.data.message;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new UndeliverableMessage(`Message ${messageId ?? '?'} data is not base64 JSON`);
  }
  const msg = taskMessageSchema.safeParse(json);
  if (!msg.success) throw new UndeliverableMessage(`Message ${messageId ?? '?'} is not a task message: ${msg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (attributes?.taskHash && attributes.taskHash !== msg.data.taskHash) {
    throw new UndeliverableMessage(`Message ${messageId ?? '?'}: attribute taskHash does not match its data`);
  }
  return { message: msg.data, messageId: messageId ?? '' };
}
