import { randomUUID } from 'node:crypto';
import * as functions from '@google-cloud/functions-framework';
import { PubSub } from '@google-cloud/pubsub';
import { DataSource } from '../../core/data/dataSource';
import { chunkPath, RELAY_TOPIC } from '../../core/protocol';
import { registryCheck } from '../../core/tasks/dataKwargs';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { storageClient } from '../../adapters/gcs/storageClient';
import { loadFunctionsConfig } from '../shared/config';
import { TaskStore } from '../../core/tasks/taskStore';
import { objectAgeMs } from './chunkAge';
import { cachedChunkReader } from './chunkCache';
import { decodeTaskEvent, UndeliverableMessage } from './decode';
import { runTaskMessage } from './runTaskMessage';

/** Entry of the `worker` CloudEvent function (Pub/Sub `sortingview-tasks` via Eventarc). */
const config = loadFunctionsConfig(process.env);
const storage = storageClient(config.projectId || undefined);
const store = new TaskStore(gcsBlobStore(storage.bucket(config.bucket)), { name: config.bucket, publicStorageUrl: config.publicStorageUrl });
const privateBucket = storage.bucket(config.privateBucket);
const privateStore = gcsBlobStore(privateBucket);
/** An eighth of the worker's 2 GiB: the chunks a warm instance keeps between tasks (chunkCache.ts). */
const CHUNK_CACHE_BYTES = 256 * 1024 * 1024;
const readChunk = cachedChunkReader((path) => privateStore.readVersioned(path), CHUNK_CACHE_BYTES);
const relayTopic = new PubSub({ projectId: config.projectId || undefined }).topic(RELAY_TOPIC, { batching: { maxMessages: 1 } });
const log = (entry: Record<string, unknown>) => console.error(JSON.stringify({ timestamp: new Date().toISOString(), ...entry }));

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
  const { backend } = decoded.message;
  await runTaskMessage(decoded.message, {
    store,
    now: Date.now,
    newId: randomUUID,
    diagnosticTasks: config.diagnosticTasks,
    log,
    dataRegistered: registryCheck((path) => privateStore.exists(path)),
    requestChunks: async (request) => {
      await relayTopic.publishMessage({ json: request, attributes: { backend: request.backend } });
    },
    context: {
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      data: new DataSource((spec) => readChunk(chunkPath(backend, spec)), {
        errorRetryAfterMs: config.errorRetryAfterMs,
        chunkAgeMs: (spec, generation) => objectAgeMs(privateBucket, chunkPath(backend, spec), generation, Date.now()),
      }),
    },
  });
});
