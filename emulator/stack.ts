import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backendUri as makeBackendUri, RELAY_TOPIC, TASKS_TOPIC } from '../core/protocol';
import { localPrincipals, storagePolicies } from './principals';
import { startBackendHeartbeat } from '../relay/backendConfig';
import { startAuthEmulator } from './authEmulator';
import type { ChildService } from './childProcess';
import { startFunction } from './functionsHost';
import { startRelayChild } from './relayChild';
import { freePort } from './ports';
import { startPubSubEmulator, type PubSubEmulator } from './pubsub';
import { findGooglePubSubEmulator, startGooglePubSubEmulator } from './pubsub/google';
import { InstancePool } from './instancePool';
import { startPushBridge, type PushBridge } from './pushBridge';
import { startStorageEmulator, type StorageEmulator } from './storage';
import { startWebServer } from './webServer';

export interface LocalStackOptions {
  /** Where logs, firebase.json and local.env go (default `.sortingview`). */
  stateDir?: string;
  /** Built output (default `dist`): functions/api, functions/worker, web. */
  distDir?: string;
  label?: string;
  projectId?: string;
  bucket?: string;
  /** Google's emulator when the machine has it (`auto`), or force one. */
  pubsub?: 'auto' | 'google' | 'ours';
  auth?: boolean;
  /** Fixed ports for `npm start` (so the printed URLs stay the same); ephemeral when absent. */
  ports?: Partial<Record<'web' | 'storage' | 'storagePublic' | 'pubsub' | 'auth' | 'api' | 'worker', number>>;
  /** Run the relay (`sortingview-start-backend`) over these data; without it the stack writes the backend config itself. */
  relay?: { dataDirs: string[]; kacheryStorageDir: string };
  /**
   * Who the CLI acts as after `source local.env` (SORTINGVIEW_USER), and the address the app's local
   * sign-in form suggests: the demo workspace's owner under `npm start`.
   */
  user?: string;
  /**
   * The Node.js that runs the two functions and the relay (default: this one), e.g. the Node of the
   * Cloud Functions runtime to check (test/deploy/nodeRuntimes.test.ts).
   */
  nodeBinary?: string;
  /** Extra environment of the two functions (e.g. a higher rate limit for a fuzz run). */
  functionsEnv?: Record<string, string>;
  /**
   * Worker instances and tasks per instance (default DEFAULT_WORKERS). Cloud Functions starts more
   * instances under load; here two processes (one per core) stand in for them, each taking several
   * tasks at once because most of a task's time is waiting on the bucket and the relay.
   */
  workers?: { instances?: number; concurrency?: number };
  /** Push bridge backoff; short in tests. */
  minBackoffMs?: number;
  log?: (line: string) => void;
}

/**
 * The local stack's worker instances and tasks per instance, unless `workers` says otherwise. Measured
 * on the first-view bench (2 cores): 2×8 drew everything in 15.7 s against 19.9 s for one process
 * taking 16 at once in the same run; 2×1 (the deployed concurrency, without the scale-out) took 49.7 s.
 */
export const DEFAULT_WORKERS = { instances: 2, concurrency: 8 };

export interface LocalStack {
  env: Record<string, string>;
  webUrl: string;
  apiUrl: string;
  workerUrl: string;
  backendUri: string;
  label: string;
  bucket: string;
  privateBucket: string;
  storage: StorageEmulator;
  /** Each component's identity (api, worker, relay, cli): its member and credentials file (emulator/principals.ts). */
  principals: Record<'api' | 'worker' | 'relay' | 'cli', { member: string; credentials: string }>;
  pubsub: { kind: 'google' | 'ours'; host: string; ours?: PubSubEmulator };
  bridge: PushBridge;
  children: ChildService[];
  startupMs: number;
  stop(): Promise<void>;
}

/** Everything on loopback with the real client libraries: see DESIGN.md "Local stack". */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const stateDir = resolve(opts.stateDir ?? '.sortingview');
  const distDir = resolve(opts.distDir ?? 'dist');
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const label = opts.label ?? 'local';
  const projectId = opts.projectId ?? 'demo-sortingview'; // "demo-" projects keep firebase-tools offline
  const bucket = opts.bucket ?? 'sortingview-local';
  const privateBucket = `${bucket}-private`;
  const ports = opts.ports ?? {};
  const stops: (() => Promise<void>)[] = [];
  const children: ChildService[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log(`stop: ${(err as Error).message}`));
  };

  try {
    const webPort = ports.web ?? (await freePort());
    const webOrigin = `http://127.0.0.1:${webPort}`;
    const iamScope = { project: projectId, bucket, privateBucket, labels: [label] };
    const storage = await startStorageEmulator({
      port: ports.storage ?? 0, publicPort: ports.storagePublic ?? 0, projectId,
      buckets: [{ name: bucket, public: true }, { name: privateBucket, public: false }],
      // The bindings scripts/deploy and terraform create, from the same iam/policy.json.
      iam: storagePolicies(iamScope),
      corsOrigins: [webOrigin],
    });
    stops.push(() => storage.stop());
    log(`Cloud Storage emulator: ${storage.url} (public: ${storage.publicUrl})`);
    const principals = localPrincipals(iamScope, label, (name, member) => storage.writeCredentials(join(stateDir, 'credentials'), name, member));

    const authPromise = opts.auth === false ? null : startAuthEmulator({ stateDir, projectId, port: ports.auth, logDir });
    const pubsub = await startPubSub(opts.pubsub ?? 'auto', ports.pubsub, logDir, log);
    stops.push(pubsub.stop);
    if (pubsub.child) children.push(pubsub.child);
    log(`Pub/Sub emulator (${pubsub.kind === 'google' ? "Google's" : 'ours'}): ${pubsub.host}`);

    const env: Record<string, string> = {
      // Google's clients otherwise probe the GCE metadata server (off loopback) for credentials.
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: projectId,
      GOOGLE_BUCKET_NAME: bucket,
      SORTINGVIEW_PRIVATE_BUCKET: privateBucket,
      // Every component reaches Storage as its own principal on the port where a caller without
      // credentials is anonymous, as on GCS (the trusted port is the test harness's).
      STORAGE_EMULATOR_HOST: storage.publicUrl,
      // The CLI's identity (a lab member); the functions and the relay override it with theirs.
      GOOGLE_APPLICATION_CREDENTIALS: principals.cli.credentials,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      SORTINGVIEW_PUBLIC_STORAGE_URL: storage.publicUrl,
      SORTINGVIEW_APP_ORIGINS: webOrigin,
      // Browsers reach the API directly here: no front end appends X-Forwarded-For, so the rate limit
      // keys the socket's peer (functions/api/clientAddress.ts).
      SORTINGVIEW_TRUSTED_PROXY_HOPS: '0',
      // The local stack and the tests use test_sleep / test_error; a deployment has them off.
      SORTINGVIEW_DIAGNOSTIC_TASKS: '1',
    };
    const pubsubClient = new PubSub({ projectId, apiEndpoint: pubsub.host, emulatorMode: true });
    for (const topic of [TASKS_TOPIC, RELAY_TOPIC]) {
      const [exists] = await pubsubClient.topic(topic).exists();
      if (!exists) await pubsubClient.createTopic(topic);
    }

    if (authPromise) {
      const auth = await authPromise;
      stops.push(() => auth.service.stop());
      children.push(auth.service);
      env.FIREBASE_AUTH_EMULATOR_HOST = auth.host;
      log(`Firebase Auth emulator: ${auth.host}`);
    }

    const fnEnv = { ...process.env, ...env, ...opts.functionsEnv };
    // Each function is registered for stopping as soon as it is up, so one failing to start never
    // leaves the other running.
    const started = async (p: ReturnType<typeof startFunction>) => {
      const fn = await p;
      stops.push(() => fn.service.stop());
      children.push(fn.service);
      return fn;
    };
    const workerInstances = opts.workers?.instances ?? DEFAULT_WORKERS.instances;
    const workerConcurrency = opts.workers?.concurrency ?? DEFAULT_WORKERS.concurrency;
    const settled = await Promise.allSettled([
      started(startFunction({ name: 'api', source: join(distDir, 'functions/api'), target: 'api', signatureType: 'http', env: { ...fnEnv, GOOGLE_APPLICATION_CREDENTIALS: principals.api.credentials }, logDir, port: ports.api, readyPath: '/v1/health', nodeBinary: opts.nodeBinary })),
      // The first instance keeps the name `worker` and the fixed port; the others are worker-2, …
      ...Array.from({ length: workerInstances }, (_, i) => started(startFunction({
        name: i ? `worker-${i + 1}` : 'worker', source: join(distDir, 'functions/worker'), target: 'worker', signatureType: 'cloudevent',
        env: { ...fnEnv, GOOGLE_APPLICATION_CREDENTIALS: principals.worker.credentials }, logDir, port: i ? undefined : ports.worker, readyPath: '/', nodeBinary: opts.nodeBinary,
      }))),
    ]);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    const [api, ...workers] = settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof startFunction>>>).value);
    const worker = workers[0];
    env.SORTINGVIEW_API_URL = api.url;
    log(`Functions: api ${api.url}, worker ${workers.map((w) => w.url).join(', ')} (${workerConcurrency} task${workerConcurrency > 1 ? 's' : ''} at a time each)`);

    const bridge = await startPushBridge({
      pubsub: pubsubClient, projectId, topic: TASKS_TOPIC, subscription: 'eventarc-worker', targets: new InstancePool(workers.map((w) => w.url), workerConcurrency),
      minBackoffMs: opts.minBackoffMs, log,
    });
    stops.push(() => bridge.stop());

    if (opts.relay) {
      const relay = await startRelayChild({ label, env: { ...fnEnv, GOOGLE_APPLICATION_CREDENTIALS: principals.relay.credentials }, logDir, ...opts.relay, apiUrl: api.url, nodeBinary: opts.nodeBinary });
      stops.push(() => relay.stop());
      children.push(relay);
      log(`Relay "${label}" serving ${opts.relay.dataDirs.join(', ')} and ${opts.relay.kacheryStorageDir}`);
    } else {
      // Without a relay the stack keeps the backend config fresh itself (tasks needing data then wait).
      const gcs = new Storage({ projectId, apiEndpoint: storage.publicUrl, useAuthWithCustomEndpoint: true, keyFilename: principals.relay.credentials });
      const heartbeat = await startBackendHeartbeat({ bucket: gcs.bucket(bucket), label, apiUrl: api.url, onError: (e) => log(`backend config: ${e.message}`) });
      stops.push(async () => heartbeat.stop());
    }

    const backendUri = makeBackendUri(bucket, label);
    const web = await startWebServer({ root: join(distDir, 'web'), port: webPort, config: {
      storageUrl: storage.publicUrl, apiUrl: api.url, defaultBackendUri: backendUri,
      // Sign-in against the Auth emulator (any API key works there); without it the app is read-only.
      ...(env.FIREBASE_AUTH_EMULATOR_HOST ? { firebase: { apiKey: 'demo-key', authDomain: `${projectId}.firebaseapp.com`, projectId, authEmulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST, ...(opts.user ? { emulatorSignInEmail: opts.user } : {}) } } : {}),
    } });
    stops.push(() => web.stop());

    // Everything the README's CLI commands need after `source local.env`: the stack's endpoints, the
    // backend, the app (for printed links), the relay's kachery store (where add-recording/add-sorting
    // must store objects for the relay to find them) and the user.
    writeLocalEnv(join(stateDir, 'local.env'), {
      ...env, SORTINGVIEW_BACKEND: backendUri, SORTINGVIEW_APP_URL: web.url,
      ...(opts.relay ? { KACHERY_STORAGE_DIR: opts.relay.kacheryStorageDir } : {}),
      ...(opts.user ? { SORTINGVIEW_USER: opts.user } : {}),
    });
    return {
      env, webUrl: web.url, apiUrl: api.url, workerUrl: worker.url, backendUri, label, bucket, privateBucket, storage, principals,
      pubsub: { kind: pubsub.kind, host: pubsub.host, ours: pubsub.ours }, bridge, children, startupMs: Date.now() - t0,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startPubSub(choice: 'auto' | 'google' | 'ours', port: number | undefined, logDir: string, log: (l: string) => void) {
  const google = choice === 'ours' ? null : findGooglePubSubEmulator();
  if (choice === 'google' && !google) throw new Error("Google's Pub/Sub emulator is not installed (gcloud components install pubsub-emulator)");
  if (google) {
    try {
      const g = await startGooglePubSubEmulator({ port: port ?? (await freePort()), logDir });
      return { kind: 'google' as const, host: g.host, stop: g.stop, child: g.child, ours: undefined };
    } catch (err) {
      if (choice === 'google') throw err;
      log(`Google's Pub/Sub emulator did not start (${(err as Error).message}); using ours`);
    }
  }
  const ours = await startPubSubEmulator({ port: port ?? 0 });
  return { kind: 'ours' as const, host: ours.host, stop: ours.stop, child: undefined, ours };
}

function writeLocalEnv(path: string, env: Record<string, string>): void {
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  writeFileSync(path, `# Written by npm start: source it to point the sortingview CLI at the local stack.\n${lines.join('\n')}\n`);
}
