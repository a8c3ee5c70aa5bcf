import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll } from 'vitest';
import { RELAY_TOPIC, TASKS_TOPIC } from '../core/protocol';
import { startPubSubEmulator, type PubSubEmulator } from '../emulator/pubsub';

/**
 * For relay service tests: our Pub/Sub emulator with the two topics, started before the file's tests
 * and stopped after. `pubsub()` is the client (valid once the tests run).
 */
export function useRelayPubSub(): { pubsub(): PubSub } {
  let emulator: PubSubEmulator | undefined;
  let client: PubSub | undefined;
  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    client = new PubSub({ projectId: 'sortingview-test', apiEndpoint: emulator.host, emulatorMode: true });
    await client.createTopic(RELAY_TOPIC);
    await client.createTopic(TASKS_TOPIC);
  });
  afterAll(async () => {
    await client?.close();
    await emulator?.stop();
  });
  return { pubsub: () => client! };
}
