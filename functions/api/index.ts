import * as functions from '@google-cloud/functions-framework';
import { PubSub } from '@google-cloud/pubsub';
import { TASKS_TOPIC } from '../../core/protocol';
import { registryCheck } from '../../core/tasks/dataKwargs';
import { RateLimiter } from '../../core/rateLimit';
import { loadFunctionsConfig } from '../shared/config';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { storageClient } from '../../adapters/gcs/storageClient';
import { TaskStore } from '../../core/tasks/taskStore';
import { acceptUnparsableJson, answerFrameworkErrorsAsJson } from './frameworkErrors';
import { createApiHandler, MAX_BODY_BYTES } from './app';
import { trustedProxyHops } from './clientAddress';
import { createIdTokenVerifier } from './auth';
import { secureTokenCerts } from './authCerts';
import { cachedExistenceCheck } from './existenceCache';
import { cachedRecordingFacts } from './recordingFacts';
import { cachedSortingUnitIds } from './feedsUnitIds';
import { workspaceCache } from './feedsWorkspaces';

/** Entry of the `api` HTTP function: wires clients from the environment, then hands over to app.ts. */
const env = process.env;
if (env.FIREBASE_AUTH_EMULATOR_HOST && env.K_SERVICE) {
  // Emulator tokens are unsigned: accepting them on Cloud Functions would let anyone in.
  throw new Error('FIREBASE_AUTH_EMULATOR_HOST is set on Cloud Functions (K_SERVICE is set): refusing to start. Remove it from the deployment.');
}
const config = loadFunctionsConfig(env);
const storage = storageClient(config.projectId || undefined);
const publicStore = gcsBlobStore(storage.bucket(config.bucket));
const store = new TaskStore(publicStore, { name: config.bucket, publicStorageUrl: config.publicStorageUrl });
const privateBucket = storage.bucket(config.privateBucket);
const log = (entry: Record<string, unknown>) => console.error(JSON.stringify(entry));
// One message per publish call: a task request is worth a few ms less latency more than batching.
const topic = new PubSub({ projectId: config.projectId || undefined }).topic(TASKS_TOPIC, { batching: { maxMessages: 1 } });

acceptUnparsableJson(MAX_BODY_BYTES);
answerFrameworkErrorsAsJson();
functions.http('api', createApiHandler({
  store,
  appOrigins: config.appOrigins,
  diagnosticTasks: config.diagnosticTasks,
  errorRetryAfterMs: config.errorRetryAfterMs,
  recordingFacts: cachedRecordingFacts(publicStore),
  // A sorting page asks for a few hundred tasks at once; a script in a loop asks for far more.
  rateLimiter: new RateLimiter(Number(env.SORTINGVIEW_RATE_PER_SEC ?? 100), Number(env.SORTINGVIEW_RATE_BURST ?? 1000)),
  trustedProxyHops: trustedProxyHops(env.SORTINGVIEW_TRUSTED_PROXY_HOPS),
  now: Date.now,
  backendExists: cachedExistenceCheck((label) => store.readBackendConfig(label).then((c) => c !== null), Date.now),
  dataRegistered: registryCheck(cachedExistenceCheck(async (path) => (await privateBucket.file(path).exists())[0], Date.now)),
  publishTask: async (message) => {
    await topic.publishMessage({ json: message, attributes: { backend: message.backend, taskHash: message.taskHash } });
  },
  feeds: {
    publicStore,
    privateStore: gcsBlobStore(privateBucket),
    // Unsigned emulator tokens only where the emulator runs (refused above on Cloud Functions).
    verifyUser: createIdTokenVerifier({
      projectId: config.projectId,
      acceptEmulatorTokens: Boolean(env.FIREBASE_AUTH_EMULATOR_HOST),
      certs: secureTokenCerts({ fetch, now: Date.now }),
      now: Date.now,
    }),
    workspaces: workspaceCache(publicStore, Date.now),
    sortingUnitIds: cachedSortingUnitIds(publicStore, Date.now, { log }),
    now: Date.now,
  },
  log,
}) as functions.HttpFunction);
