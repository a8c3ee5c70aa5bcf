// What a sortingview deployment consists of: names, bucket CORS, function settings and every IAM
// binding, as plain data. steps.mjs turns this into gcloud commands; terraform/ declares the same
// (test/deploy/terraform.test.ts checks that the two agree). No I/O here.

/** Topic and subscription names of core/protocol/paths.ts (kept literal: this script runs without a build). */
export const TASKS_TOPIC = 'sortingview-tasks';
export const RELAY_TOPIC = 'sortingview-relay';
export const relaySubscriptionName = (label) => `sortingview-relay-${label}`;

/** Where browsers read the public bucket. The web app is not served from here (hosting.mjs says why). */
export const PUBLIC_STORAGE_URL = 'https://storage.googleapis.com';

export const APIS = [
  'storage.googleapis.com',
  'pubsub.googleapis.com',
  'cloudfunctions.googleapis.com',
  'run.googleapis.com',
  'eventarc.googleapis.com',
  'cloudbuild.googleapis.com',
  'artifactregistry.googleapis.com',
  'iam.googleapis.com',
  // Firebase Authentication (Google sign-in) lives on the Identity Toolkit API.
  'identitytoolkit.googleapis.com',
  // The web app's own origin (hosting.mjs): Firebase, and Firebase Hosting.
  'firebase.googleapis.com',
  'firebasehosting.googleapis.com',
];

/** Service accounts, one per identity, each with only what it needs (docs/deploy.md, "Who may do what"). */
export const SERVICE_ACCOUNTS = {
  functions: { id: 'sortingview-functions', displayName: 'sortingview functions (api, worker) at run time' },
  trigger: { id: 'sortingview-trigger', displayName: 'sortingview Eventarc trigger (invokes worker)' },
  build: { id: 'sortingview-build', displayName: 'sortingview Cloud Functions builds' },
  relay: { id: 'sortingview-relay', displayName: 'sortingview relay (on-prem, next to the data)' },
};
export const serviceAccountEmail = (project, key) => `${SERVICE_ACCOUNTS[key].id}@${project}.iam.gserviceaccount.com`;
const sa = (project, key) => `serviceAccount:${serviceAccountEmail(project, key)}`;

/** The CORS rule of the original sortingview setup instructions, for the app origins. */
export function bucketCors(appOrigins) {
  return [{ origin: [...appOrigins], method: ['GET'], responseHeader: ['Content-Type'], maxAgeSeconds: 3600 }];
}

/**
 * The private bucket's lifecycle: chunks expire after CHUNK_CACHE_DAYS. They are a cache: a task that
 * misses one asks the relay, which produces it again from the data. Only `chunks/`: registered
 * objects (`objects/`) and ACLs (`acl/`) never expire. Same rule as terraform/storage.tf.
 */
export const CHUNK_CACHE_DAYS = 30;
export function privateBucketLifecycle() {
  return { rule: [{ action: { type: 'Delete' }, condition: { age: CHUNK_CACHE_DAYS, matchesPrefix: ['chunks/'] } }] };
}

/** Settings shared by `gcloud functions deploy` and terraform/functions.tf. */
export const FUNCTIONS = {
  api: { entryPoint: 'api', memory: '256Mi', timeoutSec: 60, maxInstances: 10 },
  worker: { entryPoint: 'worker', memory: '2Gi', timeoutSec: 540, maxInstances: 20 },
};
export const DEFAULT_RUNTIME = 'nodejs22';

/** The functions' environment (functions/shared/config.ts). */
export function functionsEnv(cfg) {
  return {
    GOOGLE_CLOUD_PROJECT: cfg.project,
    GOOGLE_BUCKET_NAME: cfg.bucket,
    SORTINGVIEW_PRIVATE_BUCKET: cfg.privateBucket,
    SORTINGVIEW_PUBLIC_STORAGE_URL: PUBLIC_STORAGE_URL,
    SORTINGVIEW_APP_ORIGINS: cfg.appOrigins.join(','),
  };
}

const objectName = (bucket, path) => `projects/_/buckets/${bucket}/objects/${path}`;

/**
 * IAM conditions that confine the relay of one label to its own objects. Cloud Storage evaluates
 * `resource.name` per object for object reads and writes; bucket-level calls (list) never match.
 */
export function relayConditions(cfg, label) {
  return {
    private: {
      title: `sortingview-relay-${label}`.slice(0, 100),
      description: `relay "${label}": its chunks/ and objects/ only`,
      expression: `resource.name.startsWith("${objectName(cfg.privateBucket, `chunks/${label}/`)}")`
        + ` || resource.name.startsWith("${objectName(cfg.privateBucket, `objects/${label}/`)}")`,
    },
    public: {
      title: `sortingview-relay-${label}`.slice(0, 100),
      description: `relay "${label}": its backend config only`,
      expression: `resource.name == "${objectName(cfg.bucket, `sortingview-backends/${label}.json`)}"`,
    },
  };
}

/**
 * Every binding, grouped by the resource that holds it. A binding: {role, member, condition?}.
 * The relay's bindings exist only for a given label.
 */
export function iamBindings(cfg) {
  const p = cfg.project;
  const relay = cfg.relayLabel ? relayConditions(cfg, cfg.relayLabel) : null;
  return {
    project: [
      // Cloud Build runs `npm install` for the functions under this identity (project-level role: builds are project resources).
      { role: 'roles/cloudbuild.builds.builder', member: sa(p, 'build') },
    ],
    publicBucket: [
      { role: 'roles/storage.objectViewer', member: 'allUsers' },
      { role: 'roles/storage.objectUser', member: sa(p, 'functions') },
      ...(relay ? [{ role: 'roles/storage.objectUser', member: sa(p, 'relay'), condition: relay.public }] : []),
    ],
    privateBucket: [
      { role: 'roles/storage.objectUser', member: sa(p, 'functions') },
      ...(relay ? [
        { role: 'roles/storage.objectCreator', member: sa(p, 'relay'), condition: relay.private },
        { role: 'roles/storage.objectViewer', member: sa(p, 'relay'), condition: relay.private },
      ] : []),
    ],
    tasksTopic: [
      { role: 'roles/pubsub.publisher', member: sa(p, 'functions') },
      { role: 'roles/pubsub.publisher', member: sa(p, 'relay') },
    ],
    relayTopic: [
      { role: 'roles/pubsub.publisher', member: sa(p, 'functions') },
    ],
    relaySubscription: relay ? [
      { role: 'roles/pubsub.subscriber', member: sa(p, 'relay') },
      // The relay checks that its subscription exists at start (pubsub.subscriptions.get).
      { role: 'roles/pubsub.viewer', member: sa(p, 'relay') },
    ] : [],
    workerService: [
      { role: 'roles/run.invoker', member: sa(p, 'trigger') },
    ],
  };
}

export const backendUri = (bucket, label) => `gs://${bucket}/sortingview-backends/${label}.json`;
