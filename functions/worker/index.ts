import * as functions from '@google-cloud/functions-framework';
import { Storage } from '@google-cloud/storage';
import { loadFunctionsConfig } from '../shared/config';
import { TaskStore } from '../shared/taskStore';
import { decodeTaskEvent, UndeliverableMessage } from './decode';
import { runTaskMessage } from './runTask';

/** Entry of the `worker` CloudEvent function (Pub/Sub `sortingview-tasks` via Eventarc). */
const config = loadFunctionsConfig(process.env);
const store = new TaskStore(new Storage({ projectId: config.projectId || undefined }).bucket(config.bucket), config.publicStorageUrl);
const log = (entry: Record<string, unknown>) => console.error(JSON.stringify(entry));

functions.cloudEvent('worker', async (event: functions.CloudEvent<unknown>) => {
  let decoded;
  try {
    decoded = decodeTaskEvent(event);
  } catch (err) {
    if (err instanceof UndeliverableMessage) {
      log({ severity: 'ERROR', message: err.message, eventId: (event as { id?: string }).id });
      return; // acknowledged: redelivering a malformed message cannot help
    }
    throw err;
  }
  await runTaskMessage(decoded.message, {
    store,
    now: Date.now,
    log,
    context: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  });
});
