// What a sortingview deployment consists of: names, bucket CORS, function settings and every IAM
// binding, as plain data. steps.mjs turns this into gcloud commands; terraform/ declares the same
// (test/deploy/terraform.test.ts checks that the two agree). No I/O here.

import { expandBindings, serviceAccounts } from '../../iam/policy.mjs';

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

/**
 * Service accounts, one per identity (relays: one per label), from iam/policy.json: key (`api`,
 * `worker`, `trigger`, `build`, `relay:<label>`) → {id, email, displayName}.
 */
export const deploymentServiceAccounts = (cfg) => serviceAccounts(cfg.project, cfg.relayLabel ? [cfg.relayLabel] : []);
export const serviceAccountEmail = (project, key, label) => serviceAccounts(project, label ? [label] : [])[key === 'relay' ? `relay:${label}` : key].email;

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

/**
 * Every binding iam/policy.json defines for this deployment (not the local stack's own), grouped by
 * the resource that holds it: {role, member, condition?}. Cloud Storage evaluates a condition's
 * `resource.name` per object; bucket-level calls (list) never match one.
 */
export function iamBindings(cfg) {
  const out = { project: [], publicBucket: [], privateBucket: [], tasksTopic: [], relayTopic: [], relaySubscription: [], workerService: [], apiService: [] };
  const all = expandBindings({ project: cfg.project, bucket: cfg.bucket, privateBucket: cfg.privateBucket, labels: cfg.relayLabel ? [cfg.relayLabel] : [] });
  for (const b of all) {
    if (!b.local) out[b.on].push({ role: b.role, member: b.member, ...(b.condition ? { condition: b.condition } : {}) });
  }
  return out;
}

export const backendUri = (bucket, label) => `gs://${bucket}/sortingview-backends/${label}.json`;
