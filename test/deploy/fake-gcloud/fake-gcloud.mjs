// A stand-in for `gcloud`, put first on PATH by test/deploy/deployScript.test.ts. It appends its argv
// as one JSON line to $FAKE_GCLOUD_LOG and keeps a tiny model of a project in $FAKE_GCLOUD_STATE, so
// describe/list/get-iam-policy answer what earlier calls created. It is strict where Google is: a
// binding for a service account that does not exist fails, a bucket created twice fails, an unknown
// command or a flag given as `--flag value` (our script always writes `--flag=value`) fails.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
appendFileSync(process.env.FAKE_GCLOUD_LOG, `${JSON.stringify(argv)}\n`);

const statePath = process.env.FAKE_GCLOUD_STATE;
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
for (const k of ['buckets', 'topics', 'subscriptions', 'serviceAccounts', 'functions', 'runServices']) state[k] ??= {};
state.services ??= [];
state.projectPolicy ??= { bindings: [] };

// FAKE_GCLOUD_DENY: a command prefix (e.g. "storage buckets describe") answered with a 403, as when
// the caller lacks permission or a bucket name belongs to another project.
const deny = process.env.FAKE_GCLOUD_DENY;
if (deny && argv.join(' ').startsWith(deny)) {
  process.stderr.write(`ERROR: (gcloud.${deny.split(' ').join('.')}) HTTPError 403: caller does not have storage.buckets.get access to the Google Cloud Storage bucket. Permission 'storage.buckets.get' denied on resource (or it may not exist).\n`);
  process.exit(1);
}

const words = argv.filter((a) => !a.startsWith('--'));
const flags = {};
for (const a of argv.filter((x) => x.startsWith('--'))) {
  const i = a.indexOf('=');
  flags[i < 0 ? a.slice(2) : a.slice(2, i)] = i < 0 ? true : a.slice(i + 1);
}
const project = flags.project;

function done(stdout = '') {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  if (stdout) process.stdout.write(stdout.endsWith('\n') ? stdout : `${stdout}\n`);
  process.exit(0);
}
function fail(message, code = 1) {
  process.stderr.write(`ERROR: (gcloud.${words.slice(0, 3).join('.')}) ${message}\n`);
  process.exit(code);
}
const notFound = (what) => fail(`NOT_FOUND: ${what} not found (404)`);
const needProject = () => { if (!project) fail('The required property [project] is not currently set.'); };

function checkMember(member) {
  const m = /^serviceAccount:(.+)$/.exec(member);
  if (m && !state.serviceAccounts[m[1]]) fail(`INVALID_ARGUMENT: Service account ${m[1]} does not exist.`);
  if (!m && member !== 'allUsers') fail(`unexpected member ${member}`);
}
function addBinding(policy, conditional) {
  const { member, role } = flags;
  if (!member || !role) fail('--member and --role are required', 2);
  checkMember(member);
  let condition;
  if (flags['condition-from-file']) {
    if (!conditional) fail('unrecognized arguments: --condition-from-file', 2);
    condition = JSON.parse(readFileSync(flags['condition-from-file'], 'utf8'));
    if (!condition.expression || !condition.title) fail('a condition needs expression and title', 2);
  } else if (flags.condition !== undefined) {
    if (!conditional || flags.condition !== 'None') fail(`unsupported --condition=${flags.condition}`, 2);
  }
  const key = (b) => `${b.role}|${b.condition?.expression ?? ''}`;
  let b = policy.bindings.find((x) => key(x) === key({ role, condition }));
  if (!b) policy.bindings.push(b = { role, members: [], ...(condition ? { condition } : {}) });
  if (!b.members.includes(member)) b.members.push(member);
  return policy;
}
const policyJson = (policy) => JSON.stringify({ bindings: policy.bindings, etag: 'BwXfake', version: 3 }, null, 2);


const cmd = words.slice(0, 3).join(' ');
const arg = words[3];
const cmd2 = words.slice(0, 2).join(' ');

if (cmd2 === 'auth print-access-token') done('ya29.fake-access-token');
if (words.slice(0, 4).join(' ') === 'beta services identity create') {
  needProject();
  if (flags.service !== 'eventarc.googleapis.com') fail(`unexpected --service=${flags.service}`, 2);
  if (!state.services.includes('eventarc.googleapis.com')) fail('FAILED_PRECONDITION: Eventarc API has not been used in this project before or it is disabled.');
  state.serviceAgents = [...new Set([...(state.serviceAgents ?? []), 'eventarc'])];
  done(`Service identity created: service-123456789012@gcp-sa-eventarc.iam.gserviceaccount.com`);
}
if (cmd2 === 'services list') {
  needProject();
  if (!flags.enabled) fail('expected --enabled', 2);
  done(state.services.join('\n'));
}
if (cmd2 === 'services enable') {
  needProject();
  for (const s of words.slice(2)) if (!state.services.includes(s)) state.services.push(s);
  done();
}
if (cmd2 === 'projects get-iam-policy' || cmd2 === 'projects add-iam-policy-binding') {
  if (!words[2]) fail('argument PROJECT_ID: Must be specified.', 2);
  if (cmd2 === 'projects get-iam-policy') done(policyJson(state.projectPolicy));
  if (flags.condition === undefined) fail('Adding a binding without specifying a condition to a policy containing conditions is prohibited in non-interactive mode. Run the command again with `--condition=None`');
  addBinding(state.projectPolicy, true);
  done(policyJson(state.projectPolicy));
}

const bucketOf = (url) => {
  const m = /^gs:\/\/([^/]+)$/.exec(url ?? '');
  if (!m) fail(`bad bucket url ${url}`, 2);
  return m[1];
};

switch (cmd) {
  case 'storage buckets describe': {
    const b = state.buckets[bucketOf(arg)];
    if (!b) fail(`gs://${bucketOf(arg)} not found: 404.`);
    done(JSON.stringify({ name: bucketOf(arg), location: b.location, uniform_bucket_level_access: b.uniform, public_access_prevention: b.pap,
      ...(b.cors ? { cors_config: b.cors } : {}), ...(b.lifecycle ? { lifecycle_config: b.lifecycle } : {}) }, null, 2));
    break;
  }
  case 'storage buckets create': {
    needProject();
    const name = bucketOf(arg);
    if (state.buckets[name]) fail(`HTTPError 409: Your previous request to create the named bucket succeeded and you already own it.`);
    if (!flags.location) fail('--location expected', 2);
    state.buckets[name] = { location: flags.location, uniform: Boolean(flags['uniform-bucket-level-access']), pap: flags['public-access-prevention'] ? 'enforced' : 'inherited', policy: { bindings: [] } };
    done();
    break;
  }
  case 'storage buckets update': {
    const b = state.buckets[bucketOf(arg)] ?? notFound(arg);
    if (flags['cors-file']) b.cors = JSON.parse(readFileSync(flags['cors-file'], 'utf8'));
    if (flags['lifecycle-file']) {
      // gcloud takes {"rule": […]} or {"lifecycle": {"rule": […]}}; describe prints it back as lifecycle_config.
      const l = JSON.parse(readFileSync(flags['lifecycle-file'], 'utf8'));
      const rules = (l.lifecycle ?? l).rule;
      if (!Array.isArray(rules) || !rules.every((r) => r.action?.type && r.condition && Object.keys(r.condition).length)) fail('Found invalid JSON/YAML for the lifecycle rule', 1);
      b.lifecycle = { rule: rules };
    }
    if (flags['uniform-bucket-level-access']) b.uniform = true;
    if (flags['public-access-prevention']) b.pap = 'enforced';
    done();
    break;
  }
  case 'storage buckets get-iam-policy': {
    const b = state.buckets[bucketOf(arg)] ?? notFound(arg);
    done(policyJson(b.policy));
    break;
  }
  case 'storage buckets add-iam-policy-binding': {
    const b = state.buckets[bucketOf(arg)] ?? notFound(arg);
    if (flags['condition-from-file'] && !b.uniform) fail('IAM conditions need uniform bucket-level access');
    if (b.policy.bindings.some((x) => x.condition) && flags.condition === undefined && !flags['condition-from-file']) {
      fail('Adding a binding without specifying a condition to a policy containing conditions is prohibited in non-interactive mode.');
    }
    addBinding(b.policy, true);
    done(policyJson(b.policy));
    break;
  }
  case 'pubsub topics describe':
  case 'pubsub subscriptions describe': {
    needProject();
    const table = words[1] === 'topics' ? state.topics : state.subscriptions;
    if (!table[arg]) notFound(`Resource (resource=${arg})`);
    done(JSON.stringify({ name: `projects/${project}/${words[1]}/${arg}`, ...table[arg], policy: undefined }));
    break;
  }
  case 'pubsub topics create': {
    needProject();
    if (state.topics[arg]) fail(`ALREADY_EXISTS: Resource already exists in the project (resource=${arg}).`);
    state.topics[arg] = { policy: { bindings: [] } };
    done();
    break;
  }
  case 'pubsub subscriptions create': {
    needProject();
    if (state.subscriptions[arg]) fail(`ALREADY_EXISTS: Resource already exists in the project (resource=${arg}).`);
    if (!state.topics[flags.topic]) notFound(`topic ${flags.topic}`);
    state.subscriptions[arg] = { topic: flags.topic, filter: flags['message-filter'], ackDeadlineSeconds: Number(flags['ack-deadline']), expiration: flags['expiration-period'], policy: { bindings: [] } };
    done();
    break;
  }
  case 'pubsub topics get-iam-policy':
  case 'pubsub subscriptions get-iam-policy':
  case 'pubsub topics add-iam-policy-binding':
  case 'pubsub subscriptions add-iam-policy-binding': {
    needProject();
    const r = (words[1] === 'topics' ? state.topics : state.subscriptions)[arg] ?? notFound(`Resource (resource=${arg})`);
    if (words[2] === 'add-iam-policy-binding') addBinding(r.policy, false);
    done(policyJson(r.policy));
    break;
  }
  case 'iam service-accounts describe':
    needProject();
    if (!state.serviceAccounts[arg]) notFound(`Unknown service account ${arg}`);
    done(JSON.stringify({ email: arg, ...state.serviceAccounts[arg] }));
    break;
  case 'iam service-accounts create': {
    needProject();
    const email = `${arg}@${project}.iam.gserviceaccount.com`;
    if (state.serviceAccounts[email]) fail(`ALREADY_EXISTS: Service account ${arg} already exists within project projects/${project}.`);
    state.serviceAccounts[email] = { displayName: flags['display-name'] };
    done();
    break;
  }
  case 'functions deploy api':
  case 'functions deploy worker': {
    needProject();
    const name = words[2];
    if (!flags.gen2 || !flags.region || !flags.runtime || !flags.source || !flags['entry-point']) fail('expected --gen2, --region, --runtime, --source, --entry-point', 2);
    for (const f of ['service-account', 'trigger-service-account']) if (flags[f]) checkMember(`serviceAccount:${flags[f]}`);
    if (!existsSync(join(flags.source, 'package.json'))) fail(`no package.json in --source ${flags.source}`);
    if (flags['trigger-topic'] && !state.topics[flags['trigger-topic']]) notFound(`topic ${flags['trigger-topic']}`);
    // Cloud Run: more than one request at a time needs at least one whole vCPU.
    if (Number(flags.concurrency ?? 1) > 1 && !(Number(flags.cpu) >= 1)) fail('INVALID_ARGUMENT: Total cpu < 1 is not supported with concurrency > 1.');
    // FAKE_GCLOUD_EVENTARC_FAILS=N: the first N trigger deploys fail while the Eventarc agent's role propagates.
    if (flags['trigger-topic'] && (state.eventarcFailures ?? 0) < Number(process.env.FAKE_GCLOUD_EVENTARC_FAILS ?? 0)) {
      state.eventarcFailures = (state.eventarcFailures ?? 0) + 1;
      writeFileSync(statePath, JSON.stringify(state, null, 2));
      fail('ResponseError: status=[400], code=[Ok], message=[Validation failed for trigger projects/p/locations/r/triggers/worker-123: Invalid resource state for "": Permission denied while using the Eventarc Service Agent. If you recently started to use Eventarc, it may take a few minutes before all necessary permissions are propagated to the Service Agent. Otherwise, verify that it has Eventarc Service Agent role.]');
    }
    state.functions[name] = { flags, uri: `https://${name}-fake-uc.a.run.app`, deploys: (state.functions[name]?.deploys ?? 0) + 1 };
    state.runServices[name] ??= { policy: { bindings: flags['allow-unauthenticated'] ? [{ role: 'roles/run.invoker', members: ['allUsers'] }] : [] } };
    done();
    break;
  }
  case 'functions describe api':
  case 'functions describe worker': {
    const f = state.functions[words[2]] ?? notFound(`function ${words[2]}`);
    if (flags.format !== 'value(serviceConfig.uri)') fail(`unexpected --format ${flags.format}`, 2);
    done(f.uri);
    break;
  }
  case 'run services get-iam-policy':
  case 'run services add-iam-policy-binding': {
    if (!flags.region) fail('--region expected', 2);
    const s = state.runServices[arg] ?? notFound(`service ${arg}`);
    if (words[2] === 'add-iam-policy-binding') addBinding(s.policy, false);
    done(policyJson(s.policy));
    break;
  }
  default:
    fail(`fake gcloud does not know: ${argv.join(' ')}`, 2);
}
