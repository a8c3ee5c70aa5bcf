// The deployment, step by step. Each step looks before it leaps (describe / list / get-iam-policy)
// and changes only what is missing, so a second run changes nothing except redeploying the
// functions and the web app (both idempotent).
import { existsSync, mkdirSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  APIS, FUNCTIONS, RELAY_TOPIC, TASKS_TOPIC, deploymentServiceAccounts,
  bucketCors, functionsEnv, iamBindings, privateBucketLifecycle, relaySubscriptionName, serviceAccountEmail,
} from './resources.mjs';
import { HOSTING_PUBLIC_DIR, firebaseJson, webConfig } from './hosting.mjs';

/** IAM has not yet seen a service account created seconds ago. */
const IAM_NOT_READY = /does not exist|not found|INVALID_ARGUMENT/i;

function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return path;
  writeFileSync(path, text);
  return path;
}

export async function enableApis(g, cfg) {
  const listed = await g.read(['services', 'list', '--enabled', '--format=value(config.name)', `--project=${cfg.project}`]);
  const enabled = new Set((listed ?? '').split(/\s+/).filter(Boolean));
  const missing = APIS.filter((api) => !enabled.has(api));
  if (missing.length) await g.change(['services', 'enable', ...missing, `--project=${cfg.project}`]);
}

/** JSON with object keys sorted, so that two configurations compare equal whatever gcloud's key order. */
function canonicalJson(v) {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const sameCors = (a, b) => JSON.stringify(normalizeCors(a)) === JSON.stringify(normalizeCors(b));
function normalizeCors(rules) {
  return (rules ?? []).map((r) => ({
    origin: [...(r.origin ?? [])].sort(),
    method: [...(r.method ?? [])].sort(),
    responseHeader: [...(r.responseHeader ?? [])].sort(),
    maxAgeSeconds: Number(r.maxAgeSeconds ?? 0),
  }));
}

/**
 * A bucket with uniform bucket-level access; the public one with CORS, the private one with public
 * access prevention and the lifecycle rule that expires its chunk cache.
 */
export async function ensureBucket(g, cfg, { name, isPublic }) {
  const url = `gs://${name}`;
  const found = await g.readJson(['storage', 'buckets', 'describe', url, '--format=json', `--project=${cfg.project}`]);
  if (!found) {
    await g.change(['storage', 'buckets', 'create', url, `--location=${cfg.region}`, '--uniform-bucket-level-access',
      ...(isPublic ? [] : ['--public-access-prevention']), `--project=${cfg.project}`]);
  } else {
    const fixes = [
      ...(found.uniform_bucket_level_access === true ? [] : ['--uniform-bucket-level-access']),
      ...(isPublic || found.public_access_prevention === 'enforced' ? [] : ['--public-access-prevention']),
    ];
    if (fixes.length) await g.change(['storage', 'buckets', 'update', url, ...fixes, `--project=${cfg.project}`]);
  }
  if (isPublic) {
    const want = bucketCors(cfg.appOrigins);
    if (!found || !sameCors(found.cors_config, want)) {
      const file = writeIfChanged(join(cfg.workDir, 'cors.json'), `${JSON.stringify(want, null, 2)}\n`);
      await g.change(['storage', 'buckets', 'update', url, `--cors-file=${file}`, `--project=${cfg.project}`]);
    }
  } else {
    // Replaces the bucket's whole lifecycle configuration: the private bucket has no other rules.
    const want = privateBucketLifecycle();
    if (canonicalJson(found?.lifecycle_config ?? null) !== canonicalJson(want)) {
      const file = writeIfChanged(join(cfg.workDir, 'lifecycle.json'), `${JSON.stringify(want, null, 2)}\n`);
      await g.change(['storage', 'buckets', 'update', url, `--lifecycle-file=${file}`, `--project=${cfg.project}`]);
    }
  }
}

export async function ensureTopic(g, cfg, topic) {
  if (await g.read(['pubsub', 'topics', 'describe', topic, '--format=json', `--project=${cfg.project}`]) === null) {
    await g.change(['pubsub', 'topics', 'create', topic, `--project=${cfg.project}`]);
  }
}

/**
 * `sortingview-relay-<label>`, filtered to the label, never expiring (an idle subscription would
 * otherwise be deleted after 31 days, and the relay may not create one itself).
 */
export async function ensureRelaySubscription(g, cfg) {
  const name = relaySubscriptionName(cfg.relayLabel);
  if (await g.read(['pubsub', 'subscriptions', 'describe', name, '--format=json', `--project=${cfg.project}`]) === null) {
    await g.change(['pubsub', 'subscriptions', 'create', name, `--topic=${RELAY_TOPIC}`,
      `--message-filter=attributes.backend = "${cfg.relayLabel}"`, '--ack-deadline=60', '--expiration-period=never',
      `--project=${cfg.project}`]);
  }
}

export async function ensureServiceAccount(g, cfg, key) {
  const sa = deploymentServiceAccounts(cfg)[key];
  const email = sa.email;
  if (await g.read(['iam', 'service-accounts', 'describe', email, '--format=json', `--project=${cfg.project}`]) === null) {
    await g.change(['iam', 'service-accounts', 'create', sa.id, `--display-name=${sa.displayName}`, `--project=${cfg.project}`]);
  }
}

function hasBinding(policy, want) {
  const expr = want.condition?.expression ?? null;
  return (policy?.bindings ?? []).some((b) => b.role === want.role && (b.members ?? []).includes(want.member)
    && (b.condition?.expression ?? null) === expr);
}

/**
 * Adds the bindings a resource's policy lacks. `resource` = the gcloud words before the verb and
 * the flags after the resource (e.g. --region); `conditional` = whether the command takes --condition.
 */
export async function ensureBindings(g, cfg, { group, target, extra = [], conditional = false, project = true }, wanted) {
  if (!wanted.length) return;
  const p = project ? [`--project=${cfg.project}`] : [];
  const policy = await g.readJson([...group, 'get-iam-policy', target, ...extra, '--format=json', ...p]);
  for (const b of wanted) {
    if (hasBinding(policy, b)) continue;
    let cond = [];
    if (b.condition) {
      mkdirSync(join(cfg.workDir, 'conditions'), { recursive: true });
      const file = writeIfChanged(join(cfg.workDir, 'conditions', `${b.condition.title}-${target.replace(/^gs:\/\//, '')}.json`),
        `${JSON.stringify(b.condition, null, 2)}\n`);
      cond = [`--condition-from-file=${file}`];
    } else if (conditional) {
      cond = ['--condition=None']; // required once a policy holds conditional bindings and prompts are off
    }
    await g.change([...group, 'add-iam-policy-binding', target, ...extra, `--member=${b.member}`, `--role=${b.role}`, ...cond, ...p],
      { retryIf: IAM_NOT_READY });
  }
}

export async function grantAll(g, cfg) {
  const b = iamBindings(cfg);
  await ensureBindings(g, cfg, { group: ['projects'], target: cfg.project, conditional: true, project: false }, b.project);
  await ensureBindings(g, cfg, { group: ['storage', 'buckets'], target: `gs://${cfg.bucket}`, conditional: true }, b.publicBucket);
  await ensureBindings(g, cfg, { group: ['storage', 'buckets'], target: `gs://${cfg.privateBucket}`, conditional: true }, b.privateBucket);
  await ensureBindings(g, cfg, { group: ['pubsub', 'topics'], target: TASKS_TOPIC }, b.tasksTopic);
  await ensureBindings(g, cfg, { group: ['pubsub', 'topics'], target: RELAY_TOPIC }, b.relayTopic);
  if (cfg.relayLabel) {
    await ensureBindings(g, cfg, { group: ['pubsub', 'subscriptions'], target: relaySubscriptionName(cfg.relayLabel) }, b.relaySubscription);
  }
  // b.apiService (allUsers may call the API) is what `functions deploy api --allow-unauthenticated` grants.
}

export function functionsEnvFile(cfg) {
  const yaml = Object.entries(functionsEnv(cfg)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
  return writeIfChanged(join(cfg.workDir, 'functions.env.yaml'), `${yaml}\n`);
}

/**
 * Eventarc in a project that never used it: its service agent is created on first use, and the first
 * trigger fails until the agent's role has propagated ("Permission denied while using the Eventarc
 * Service Agent", "If you recently started to use Eventarc, it may take a few minutes"). Creating the
 * agent up front shortens that; the worker's deploy retries for the rest.
 */
const EVENTARC_NOT_READY = /Permission denied while using the Eventarc Service Agent|recently started to use Eventarc|Eventarc Service Agent.*(not|yet)/i;
export const EVENTARC_RETRY = { attempts: 10, delayMs: 30_000 };

export async function ensureEventarcAgent(g, cfg) {
  // Idempotent: it prints the existing agent's email when there is one.
  await g.change(['beta', 'services', 'identity', 'create', '--service=eventarc.googleapis.com', `--project=${cfg.project}`]);
}

/** `gcloud functions deploy` is an update when the function exists: always run, idempotent. */
export async function deployFunctions(g, cfg) {
  const env = functionsEnvFile(cfg);
  const common = (name) => [
    'functions', 'deploy', name, '--gen2', `--region=${cfg.region}`, `--runtime=${cfg.runtime}`,
    `--source=${join(cfg.root, 'dist', 'functions', name)}`, `--entry-point=${FUNCTIONS[name].entryPoint}`,
  ];
  const tail = (name) => [
    `--service-account=${serviceAccountEmail(cfg.project, name)}`,
    `--build-service-account=projects/${cfg.project}/serviceAccounts/${serviceAccountEmail(cfg.project, 'build')}`,
    `--env-vars-file=${env}`, `--cpu=${FUNCTIONS[name].cpu}`, `--memory=${FUNCTIONS[name].memory}`,
    `--concurrency=${FUNCTIONS[name].concurrency}`, `--timeout=${FUNCTIONS[name].timeoutSec}s`,
    `--max-instances=${cfg.maxInstances[name]}`, `--project=${cfg.project}`,
  ];
  await g.change([...common('api'), '--trigger-http', '--allow-unauthenticated', ...tail('api')]);
  await g.change([...common('worker'), `--trigger-topic=${TASKS_TOPIC}`, '--retry',
    `--trigger-service-account=${serviceAccountEmail(cfg.project, 'trigger')}`, ...tail('worker')],
  { retryIf: EVENTARC_NOT_READY, ...EVENTARC_RETRY });
  // Eventarc pushes to the worker's Cloud Run service as the trigger identity.
  await ensureBindings(g, cfg, { group: ['run', 'services'], target: 'worker', extra: [`--region=${cfg.region}`] }, iamBindings(cfg).workerService);
  return readApiUrl(g, cfg);
}

/** The deployed API's URL, or null (not deployed yet, or a dry run). */
export async function readApiUrl(g, cfg) {
  const url = await g.read(['functions', 'describe', 'api', '--gen2', `--region=${cfg.region}`, '--format=value(serviceConfig.uri)', `--project=${cfg.project}`]);
  return url?.trim() || null;
}

/**
 * The web app on its own origin, Firebase Hosting site `cfg.hostingSite` (hosting.mjs says why not
 * the bucket): the site is created if missing, then dist/web plus a generated config.json is
 * deployed as a new release (idempotent: Hosting uploads only files it does not have).
 */
export async function deployWebApp(fb, cfg, apiUrl, signIn) {
  const p = `--project=${cfg.project}`;
  if (await fb.readResult(['hosting:sites:get', cfg.hostingSite, p, '--json']) === null) {
    await fb.change(['hosting:sites:create', cfg.hostingSite, p, '--non-interactive']);
  }
  const dir = join(cfg.workDir, HOSTING_PUBLIC_DIR);
  const built = join(cfg.root, 'dist', 'web');
  rmSync(dir, { recursive: true, force: true });
  if (existsSync(built)) cpSync(built, dir, { recursive: true, preserveTimestamps: true });
  else mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(webConfig(cfg, apiUrl, signIn), null, 2)}\n`);
  const config = writeIfChanged(join(cfg.workDir, 'firebase.json'), `${JSON.stringify(firebaseJson(cfg), null, 2)}\n`);
  await fb.change(['deploy', '--only=hosting', `--config=${config}`, p, '--non-interactive', '--message=scripts/deploy']);
}
