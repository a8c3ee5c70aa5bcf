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

/**
 * Size of each function, shared by `gcloud functions deploy` and terraform/functions.tf, for the load
 * of docs/deploy.md ("Capacity and cost"): 20 people opening sortings at once, each page keeping up
 * to 32 tasks in flight.
 *
 * api: short I/O-bound requests (a bucket read, a publish). Cloud Run serves more than one request
 * per instance only with at least 1 vCPU; with 80 at once and 20 instances it takes 1600 requests in
 * flight, 2.5x the 640 of that load, so Cloud Run's own 429 (which carries no CORS headers) stays
 * rare. 512 MiB: the instance holds the JWKS, the rate limiter and 80 small bodies (≤ 1 MiB each).
 * worker: CPU-bound kernels on one JavaScript thread, so one task per instance (a second would only
 * wait for the first's CPU); 2 GiB for the chunks of one task (each ≤ 64 MiB) and the chunk cache
 * (256 MiB, functions/worker/index.ts). 50 instances run 50 tasks at once; Eventarc holds the rest
 * and retries with backoff. Both scale to zero.
 */
export const FUNCTIONS = {
  api: { entryPoint: 'api', cpu: '1', memory: '512Mi', concurrency: 80, timeoutSec: 60, maxInstances: 20 },
  worker: { entryPoint: 'worker', cpu: '1', memory: '2Gi', concurrency: 1, timeoutSec: 540, maxInstances: 50 },
};

/**
 * Cloud Run functions' Node.js runtimes and their schedule (cloud.google.com/functions/docs/runtime-support,
 * read 2026-12): after `decommissioned` Google refuses to deploy them. The bundles are tested on
 * each runtime listed as `tested` (test/deploy/nodeRuntimes.test.ts runs the functions on it).
 */
export const NODE_RUNTIMES = {
  nodejs18: { deprecated: '2025-04-30', decommissioned: '2025-10-30' },
  nodejs20: { deprecated: '2026-04-30', decommissioned: '2026-10-30' },
  nodejs22: { deprecated: '2027-04-30', decommissioned: '2027-10-31', tested: true },
  nodejs24: { deprecated: '2028-04-30', decommissioned: '2028-10-31', tested: true },
};
export const DEFAULT_RUNTIME = 'nodejs22';

/**
 * Whether `runtime` can be deployed on `today` (YYYY-MM-DD): {ok: true, warning?} or {ok: false, reason}.
 * Reasons name the flag and what to pass instead.
 */
export function runtimeVerdict(runtime, today) {
  const usable = Object.entries(NODE_RUNTIMES).filter(([, r]) => r.tested && today < r.decommissioned).map(([id]) => id);
  const known = NODE_RUNTIMES[runtime];
  if (!known) {
    return { ok: false, reason: `--runtime ${JSON.stringify(runtime)} is not a Node.js runtime this deployment is tested on: use ${usable.join(' or ')}` };
  }
  if (today >= known.decommissioned) {
    return { ok: false, reason: `--runtime ${runtime}: Google decommissioned it on ${known.decommissioned} and no longer deploys it; use ${usable.join(' or ')}` };
  }
  if (!known.tested) return { ok: false, reason: `--runtime ${runtime}: the functions are not tested on it; use ${usable.join(' or ')}` };
  if (today >= known.deprecated) {
    return { ok: true, warning: `--runtime ${runtime} is deprecated since ${known.deprecated}; Google stops deploying it on ${known.decommissioned}. Move to ${usable.filter((r) => r > runtime).join(' or ') || 'a newer runtime'}.` };
  }
  return { ok: true };
}

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
