// scripts/deploy against a stand-in gcloud and firebase: exact commands and order on an empty
// project, nothing created on a second run, nothing run with --dry-run, repairs of a half-configured
// project, the web app on its own Hosting origin and never in the bucket.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeProject, isChange, printedCommands, root, type RunResult } from './helpers';
import { ensureBuilt } from './bundles';
import { expandBindings } from '../../iam/policy.mjs';

const P = 'my-lab-123';
const B = 'my-lab-123-sortingview';
const PB = 'my-lab-123-sortingview-private';
const R = 'europe-west1';
const ARGS = [`--project=${P}`, `--region=${R}`, '--app-origins=https://lab.example.org', '--relay-label=mylab', '--skip-build'];
const sa = (id: string) => `${id}@${P}.iam.gserviceaccount.com`;
const m = (id: string) => `--member=serviceAccount:${sa(id)}`;
const pr = `--project=${P}`;
/** The relay of label mylab: its own account, named by sha1("mylab") (iam/policy.mjs labelHash). */
const RELAY = 'sv-relay-2a25aa94fc44';
const RELAY_TITLE = 'sv-relay-2a25aa94fc44';
const SERVICE_ACCOUNTS = [
  ['sortingview-api', 'sortingview api function (internet-facing)'],
  ['sortingview-worker', 'sortingview worker function'],
  ['sortingview-trigger', 'sortingview Eventarc trigger (invokes worker)'],
  ['sortingview-build', 'sortingview Cloud Functions builds'],
  [RELAY, 'sortingview relay mylab'],
];
/** The relay's roles on the private bucket, in iam/policy.json's order. */
const RELAY_PRIVATE_ROLES = ['objectUser', 'objectCreator', 'objectViewer'];
const cond = (title: string, bucket: string) => `--condition-from-file=${WORK}/conditions/${title}-${bucket}.json`;
let WORK = '';

/** Every gcloud call of a first run on an empty project, in order. */
function expectedFirstRun(W: string): string[][] {
  WORK = W;
  return [
    ['services', 'list', '--enabled', '--format=value(config.name)', pr],
    ['services', 'enable', 'storage.googleapis.com', 'pubsub.googleapis.com', 'cloudfunctions.googleapis.com', 'run.googleapis.com',
      'eventarc.googleapis.com', 'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'iam.googleapis.com',
      'identitytoolkit.googleapis.com', 'firebase.googleapis.com', 'firebasehosting.googleapis.com', pr],
    ['storage', 'buckets', 'describe', `gs://${B}`, '--format=json', pr],
    ['storage', 'buckets', 'create', `gs://${B}`, `--location=${R}`, '--uniform-bucket-level-access', pr],
    ['storage', 'buckets', 'update', `gs://${B}`, `--cors-file=${W}/cors.json`, pr],
    ['storage', 'buckets', 'describe', `gs://${PB}`, '--format=json', pr],
    ['storage', 'buckets', 'create', `gs://${PB}`, `--location=${R}`, '--uniform-bucket-level-access', '--public-access-prevention', pr],
    ['storage', 'buckets', 'update', `gs://${PB}`, `--lifecycle-file=${W}/lifecycle.json`, pr],
    ['pubsub', 'topics', 'describe', 'sortingview-tasks', '--format=json', pr],
    ['pubsub', 'topics', 'create', 'sortingview-tasks', pr],
    ['pubsub', 'topics', 'describe', 'sortingview-relay', '--format=json', pr],
    ['pubsub', 'topics', 'create', 'sortingview-relay', pr],
    ['pubsub', 'subscriptions', 'describe', 'sortingview-relay-mylab', '--format=json', pr],
    ['pubsub', 'subscriptions', 'create', 'sortingview-relay-mylab', '--topic=sortingview-relay', '--message-filter=attributes.backend = "mylab"',
      '--ack-deadline=60', '--expiration-period=never', pr],
    ...SERVICE_ACCOUNTS.flatMap(([id, name]) => [
      ['iam', 'service-accounts', 'describe', sa(id), '--format=json', pr],
      ['iam', 'service-accounts', 'create', id, `--display-name=${name}`, pr],
    ]),
    ['projects', 'get-iam-policy', P, '--format=json'],
    ['projects', 'add-iam-policy-binding', P, m('sortingview-build'), '--role=roles/cloudbuild.builds.builder', '--condition=None'],
    ['storage', 'buckets', 'get-iam-policy', `gs://${B}`, '--format=json', pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, '--member=allUsers', '--role=roles/storage.legacyObjectReader', '--condition=None', pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, m('sortingview-api'), '--role=roles/storage.objectViewer', '--condition=None', pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, m('sortingview-api'), '--role=roles/storage.objectUser', cond('sv-api-objectUser', B), pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, m('sortingview-worker'), '--role=roles/storage.legacyObjectReader', '--condition=None', pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, m('sortingview-worker'), '--role=roles/storage.objectUser', cond('sv-worker-objectUser', B), pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${B}`, m(RELAY), '--role=roles/storage.objectUser', cond(`${RELAY_TITLE}-objectUser`, B), pr],
    ['storage', 'buckets', 'get-iam-policy', `gs://${PB}`, '--format=json', pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${PB}`, m('sortingview-api'), '--role=roles/storage.objectUser', cond('sv-api-objectUser', PB), pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${PB}`, m('sortingview-api'), '--role=roles/storage.objectViewer', cond('sv-api-objectViewer', PB), pr],
    ['storage', 'buckets', 'add-iam-policy-binding', `gs://${PB}`, m('sortingview-worker'), '--role=roles/storage.objectViewer', cond('sv-worker-objectViewer', PB), pr],
    ...RELAY_PRIVATE_ROLES.map((role) => ['storage', 'buckets', 'add-iam-policy-binding', `gs://${PB}`, m(RELAY), `--role=roles/storage.${role}`, cond(`${RELAY_TITLE}-${role}`, PB), pr]),
    ['pubsub', 'topics', 'get-iam-policy', 'sortingview-tasks', '--format=json', pr],
    ['pubsub', 'topics', 'add-iam-policy-binding', 'sortingview-tasks', m('sortingview-api'), '--role=roles/pubsub.publisher', pr],
    ['pubsub', 'topics', 'add-iam-policy-binding', 'sortingview-tasks', m(RELAY), '--role=roles/pubsub.publisher', pr],
    ['pubsub', 'topics', 'get-iam-policy', 'sortingview-relay', '--format=json', pr],
    ['pubsub', 'topics', 'add-iam-policy-binding', 'sortingview-relay', m('sortingview-worker'), '--role=roles/pubsub.publisher', pr],
    ['pubsub', 'subscriptions', 'get-iam-policy', 'sortingview-relay-mylab', '--format=json', pr],
    ['pubsub', 'subscriptions', 'add-iam-policy-binding', 'sortingview-relay-mylab', m(RELAY), '--role=roles/pubsub.subscriber', pr],
    ['pubsub', 'subscriptions', 'add-iam-policy-binding', 'sortingview-relay-mylab', m(RELAY), '--role=roles/pubsub.viewer', pr],
    ['beta', 'services', 'identity', 'create', '--service=eventarc.googleapis.com', pr],
    ['functions', 'deploy', 'api', '--gen2', `--region=${R}`, '--runtime=nodejs22', `--source=${root}/dist/functions/api`, '--entry-point=api',
      '--trigger-http', '--allow-unauthenticated',
      `--service-account=${sa('sortingview-api')}`, `--build-service-account=projects/${P}/serviceAccounts/${sa('sortingview-build')}`,
      `--env-vars-file=${W}/functions.env.yaml`, '--cpu=1', '--memory=512Mi', '--concurrency=80', '--timeout=60s', '--max-instances=20', pr],
    ['functions', 'deploy', 'worker', '--gen2', `--region=${R}`, '--runtime=nodejs22', `--source=${root}/dist/functions/worker`, '--entry-point=worker',
      '--trigger-topic=sortingview-tasks', '--retry', `--trigger-service-account=${sa('sortingview-trigger')}`,
      `--service-account=${sa('sortingview-worker')}`, `--build-service-account=projects/${P}/serviceAccounts/${sa('sortingview-build')}`,
      `--env-vars-file=${W}/functions.env.yaml`, '--cpu=1', '--memory=2Gi', '--concurrency=1', '--timeout=540s', '--max-instances=50', pr],
    ['run', 'services', 'get-iam-policy', 'worker', `--region=${R}`, '--format=json', pr],
    ['run', 'services', 'add-iam-policy-binding', 'worker', `--region=${R}`, m('sortingview-trigger'), '--role=roles/run.invoker', pr],
    ['functions', 'describe', 'api', '--gen2', `--region=${R}`, '--format=value(serviceConfig.uri)', pr],
  ];
}

/** The first web app the stand-in firebase creates (a real run), or what a dry run prints for it. */
const APP_ID = '1:123456789012:web:0000000000000000000001';
const DRY_APP_ID = '<web app id>';

/**
 * Every firebase (firebase-tools) call of a first run: Firebase on the project, its web app and
 * config (sign-in), the Hosting site, then the release.
 */
function expectedFirebaseFirstRun(W: string, appId = APP_ID): string[][] {
  return [
    ['projects:list', '--json'],
    ['projects:addfirebase', P, '--non-interactive'],
    ['apps:list', 'WEB', pr, '--json'],
    ['apps:create', 'WEB', 'sortingview', pr, '--non-interactive', '--json'],
    ['apps:sdkconfig', 'WEB', appId, pr, '--json'],
    ['hosting:sites:get', P, pr, '--json'],
    ['hosting:sites:create', P, pr, '--non-interactive'],
    ['deploy', '--only=hosting', `--config=${W}/firebase.json`, pr, '--non-interactive', '--message=scripts/deploy'],
  ];
}
const API = 'https://api-fake-uc.a.run.app';
/** config.json's sign-in: the web app's config as the stand-in firebase gives it. */
const SIGN_IN = { apiKey: 'AIzaSyFakeWebAppKey_0123456789', authDomain: `${P}.firebaseapp.com`, projectId: P };
const SITE_ORIGIN = `https://${P}.web.app`;

beforeAll(() => ensureBuilt(), 120_000);

describe('scripts/deploy on an empty project', { timeout: 120_000 }, () => {
  const project = fakeProject();
  let first: RunResult;
  let second: RunResult;
  beforeAll(async () => {
    first = await project.run(ARGS);
    second = await project.run(ARGS);
  }, 120_000);

  it('creates everything with exactly these commands, in this order', async () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // Then gcloud's access token for the sign-in settings (not printed: it is a credential).
    expect(first.calls).toEqual([...expectedFirstRun(project.workDir), ['auth', 'print-access-token']]);
    expect(first.firebaseCalls).toEqual(expectedFirebaseFirstRun(project.workDir));
  });

  it('writes the CORS rule, the conditions and the functions\' environment it passes to gcloud', async () => {
    const w = project.workDir;
    expect(JSON.parse(readFileSync(join(w, 'cors.json'), 'utf8'))).toEqual([
      { origin: [SITE_ORIGIN, 'https://lab.example.org'], method: ['GET'], responseHeader: ['Content-Type'], maxAgeSeconds: 3600 },
    ]);
    expect(JSON.parse(readFileSync(join(w, 'lifecycle.json'), 'utf8'))).toEqual({
      rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['chunks/'] } }],
    });
    const expression = (file: string) => JSON.parse(readFileSync(join(w, 'conditions', file), 'utf8')).expression;
    const obj = (bucket: string, path: string) => `projects/_/buckets/${bucket}/objects/${path}`;
    expect(expression(`${RELAY_TITLE}-objectUser-${PB}.json`)).toBe(`resource.name.startsWith("${obj(PB, 'chunks/mylab/')}")`);
    expect(expression(`${RELAY_TITLE}-objectCreator-${PB}.json`)).toBe(`resource.name.startsWith("${obj(PB, 'objects/mylab/')}")`);
    expect(expression(`${RELAY_TITLE}-objectViewer-${PB}.json`)).toBe(
      `resource.name.startsWith("${obj(PB, 'chunks/mylab/')}") || resource.name.startsWith("${obj(PB, 'objects/mylab/')}")`);
    expect(expression(`${RELAY_TITLE}-objectUser-${B}.json`)).toBe(`resource.name == "${obj(B, 'sortingview-backends/mylab.json')}"`);
    expect(expression(`sv-api-objectUser-${B}.json`)).toBe(`resource.name.startsWith("${obj(B, 'feeds/')}") || resource.name.startsWith("${obj(B, 'task_status/')}")`);
    expect(expression(`sv-api-objectUser-${PB}.json`)).toBe(`resource.name.startsWith("${obj(PB, 'acl/')}")`);
    expect(expression(`sv-api-objectViewer-${PB}.json`)).toBe(`resource.name.startsWith("${obj(PB, 'objects/')}")`);
    expect(expression(`sv-worker-objectUser-${B}.json`)).toBe(`resource.name.startsWith("${obj(B, 'task_results/')}") || resource.name.startsWith("${obj(B, 'task_status/')}")`);
    expect(expression(`sv-worker-objectViewer-${PB}.json`)).toBe(`resource.name.startsWith("${obj(PB, 'chunks/')}") || resource.name.startsWith("${obj(PB, 'objects/')}")`);
    expect(readFileSync(join(w, 'functions.env.yaml'), 'utf8')).toBe([
      `GOOGLE_CLOUD_PROJECT: "${P}"`,
      `GOOGLE_BUCKET_NAME: "${B}"`,
      `SORTINGVIEW_PRIVATE_BUCKET: "${PB}"`,
      'SORTINGVIEW_PUBLIC_STORAGE_URL: "https://storage.googleapis.com"',
      `SORTINGVIEW_APP_ORIGINS: "${SITE_ORIGIN},https://lab.example.org"`,
      '',
    ].join('\n'));
  });

  it('leaves the project as DESIGN.md describes it: only the public bucket is readable by all users', async () => {
    const s = project.state();
    expect(s.buckets[B].policy.bindings.filter((b) => b.members.includes('allUsers')).map((b) => b.role)).toEqual(['roles/storage.legacyObjectReader']);
    expect(s.buckets[PB].policy.bindings.flatMap((b) => b.members)).not.toContain('allUsers');
    expect(s.buckets[PB].pap).toBe('enforced');
    expect(Object.values(s.buckets).every((b) => b.uniform)).toBe(true);
    // Only the private bucket's chunk cache expires; registered objects/ and acl/ are kept.
    expect(s.buckets[PB].lifecycle).toEqual({ rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['chunks/'] } }] });
    expect(s.buckets[B].lifecycle).toBeUndefined();
    expect(s.subscriptions['sortingview-relay-mylab']).toMatchObject({ topic: 'sortingview-relay', filter: 'attributes.backend = "mylab"', ackDeadlineSeconds: 60, expiration: 'never' });
    // The relay holds nothing unconditional on either bucket.
    for (const b of [B, PB]) {
      for (const binding of s.buckets[b].policy.bindings) {
        if (binding.members.includes(`serviceAccount:${sa(RELAY)}`)) expect(binding.condition?.expression).toMatch(/mylab/);
      }
    }
    // The internet-facing API holds nothing on chunks; only the worker and the relay read them.
    const privateGrants = s.buckets[PB].policy.bindings.filter((b) => b.members.includes(`serviceAccount:${sa('sortingview-api')}`));
    expect(privateGrants.map((b) => b.condition?.expression)).toEqual([
      `resource.name.startsWith("projects/_/buckets/${PB}/objects/acl/")`, `resource.name.startsWith("projects/_/buckets/${PB}/objects/objects/")`,
    ]);
    // Every policy is exactly what iam/policy.json defines, no more (not the local stack's own bindings).
    const defined: Record<string, { role: string; member: string; condition?: { expression: string } }[]> = {};
    for (const b of expandBindings({ project: P, bucket: B, privateBucket: PB, labels: ['mylab'] })) if (!b.local) (defined[b.on] ??= []).push(b);
    const asSet = (bindings: { role: string; members: string[]; condition?: { expression: string } }[]) =>
      bindings.flatMap((b) => b.members.map((mm) => `${b.role} ${mm} ${b.condition?.expression ?? ''}`)).sort();
    const fromDef = (list: { role: string; member: string; condition?: { expression: string } }[]) => list.map((b) => `${b.role} ${b.member} ${b.condition?.expression ?? ''}`).sort();
    expect(asSet(s.buckets[B].policy.bindings)).toEqual(fromDef(defined.publicBucket));
    expect(asSet(s.buckets[PB].policy.bindings)).toEqual(fromDef(defined.privateBucket));
    expect(asSet(s.topics['sortingview-tasks'].policy.bindings)).toEqual(fromDef(defined.tasksTopic));
    expect(asSet(s.topics['sortingview-relay'].policy.bindings)).toEqual(fromDef(defined.relayTopic));
    expect(asSet(s.subscriptions['sortingview-relay-mylab'].policy.bindings)).toEqual(fromDef(defined.relaySubscription));
    expect(asSet(s.runServices.worker.policy.bindings)).toEqual(fromDef(defined.workerService));
    expect(asSet(s.runServices.api.policy.bindings)).toEqual(fromDef(defined.apiService));
  });

  it('hosts the web app on its own Firebase Hosting origin with a config.json naming the API, the storage URL and the backend', async () => {
    const releases = project.state().hostingReleases;
    expect(releases.map((r) => [r.site, r.project])).toEqual([[P, P], [P, P]]); // first and second run
    // Exactly dist/web as built, plus the generated config.json.
    const built = readdirSync(join(root, 'dist', 'web'));
    expect(built).toEqual(expect.arrayContaining(['app.css', 'app.js', 'index.html']));
    expect(releases[0].files).toEqual([...built, 'config.json'].sort());
    expect(releases[0].configJson).toEqual({
      storageUrl: 'https://storage.googleapis.com', apiUrl: API, defaultBackendUri: `gs://${B}/sortingview-backends/mylab.json`, firebase: SIGN_IN,
    });
    const headers = Object.fromEntries(releases[0].headers.filter((h) => h.source === '**').flatMap((h) => h.headers).map((h) => [h.key, h.value]));
    expect(headers).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' });
    const csp = Object.fromEntries(headers['Content-Security-Policy'].split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'", 'https://apis.google.com']); // no inline or eval'd script
    expect(csp['connect-src']).toEqual(expect.arrayContaining(["'self'", 'https://storage.googleapis.com', 'https://*.a.run.app', 'https://identitytoolkit.googleapis.com', 'https://securetoken.googleapis.com']));
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });

  it('puts nothing of the web app in the bucket: no upload at all, and the shared storage origin is allowed nowhere', async () => {
    const uploads = [...first.calls, ...second.calls].filter((c) => c[0] === 'storage' && ['rsync', 'cp', 'mv'].includes(c[1]));
    expect(uploads).toEqual([]);
    expect([...first.calls, ...second.calls].flat().some((a) => /gs:\/\/[^/]+\/web/.test(a))).toBe(false);
    const s = project.state();
    expect((s.buckets[B].cors as { origin: string[] }[])[0].origin).not.toContain('https://storage.googleapis.com');
    expect(readFileSync(join(project.workDir, 'functions.env.yaml'), 'utf8')).toMatch(/^SORTINGVIEW_APP_ORIGINS: "https:\/\/my-lab-123\.web\.app,https:\/\/lab\.example\.org"$/m);
    expect(first.stdout).toContain(`Web app:      ${SITE_ORIGIN}/?backend=`);
    expect(first.stdout).not.toContain('storage.googleapis.com/');
  });

  it('lets --firebase-api-key and --firebase-auth-domain (flag or env) override the web app\'s config', async () => {
    const project = fakeProject();
    const r = await project.run([...ARGS, '--firebase-api-key=AIzaSyFakeKey_0123456789']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.workDir, 'web', 'config.json'), 'utf8'))).toEqual({
      storageUrl: 'https://storage.googleapis.com', apiUrl: API, defaultBackendUri: `gs://${B}/sortingview-backends/mylab.json`,
      firebase: { apiKey: 'AIzaSyFakeKey_0123456789', authDomain: `${P}.firebaseapp.com`, projectId: P },
    });
    const fromEnv = await project.run(ARGS, { FIREBASE_API_KEY: 'AIzaSyOtherKey_0123456789', FIREBASE_AUTH_DOMAIN: 'login.lab.example.org' });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project.workDir, 'web', 'config.json'), 'utf8')).firebase).toEqual({ apiKey: 'AIzaSyOtherKey_0123456789', authDomain: 'login.lab.example.org', projectId: P });
    expect((await project.run([...ARGS, '--firebase-api-key=not a key'])).stderr).toMatch(/does not look like a Firebase web API key/);
  });

  it('prints the relay key command and the exact start-backend line', async () => {
    expect(first.stdout).toContain(`gcloud iam service-accounts keys create sortingview-relay-key.json --iam-account=${sa(RELAY)} --project=${P}`);
    expect(first.stdout).toContain('chmod 600 sortingview-relay-key.json');
    expect(first.stdout).toContain(`GOOGLE_CLOUD_PROJECT=${P} GOOGLE_BUCKET_NAME=${B} SORTINGVIEW_PRIVATE_BUCKET=${PB} `
      + 'SORTINGVIEW_API_URL=https://api-fake-uc.a.run.app GOOGLE_APPLICATION_CREDENTIALS="$PWD/sortingview-relay-key.json" \\\n'
      + `       sortingview-start-backend --label mylab --app-url ${SITE_ORIGIN}/ --data-dir /path/to/your/data`);
    expect(first.stdout).toContain(`Backend URI:  gs://${B}/sortingview-backends/mylab.json`);
    expect(first.stdout).toContain('API URL:      https://api-fake-uc.a.run.app');
  });

  it('on a second run creates nothing: only reads, the two function updates and the web app release', async () => {
    expect(second.code, second.stderr).toBe(0);
    const changes = second.calls.filter(isChange);
    // `services identity create` has no read: it answers with the existing agent.
    expect(changes.map((c) => c.slice(0, 4))).toEqual([['beta', 'services', 'identity', 'create'], ['functions', 'deploy', 'api', '--gen2'], ['functions', 'deploy', 'worker', '--gen2']]);
    // Firebase, its web app and the site exist now.
    expect(second.firebaseCalls.map((c) => c[0])).toEqual(['projects:list', 'apps:list', 'apps:sdkconfig', 'hosting:sites:get', 'deploy']);
    expect(project.identity().requests.slice(-2).map((r) => r.method)).toEqual(['GET', 'GET']); // sign-in: reads only
    // Same function settings as the first run.
    expect(changes.slice(1)).toEqual(first.calls.filter((c) => c[0] === 'functions' && c[1] === 'deploy'));
    expect(second.calls.filter((c) => !isChange(c))).toEqual(first.calls.filter((c) => !isChange(c)));
    expect(project.state().functions.api.deploys).toBe(2);
  });
});

describe('scripts/deploy --dry-run', { timeout: 120_000 }, () => {
  it('runs nothing, and prints exactly the commands a first run issues', async () => {
    const dry = fakeProject();
    const apiBundle = join(root, 'dist', 'functions', 'api', 'index.js');
    const before = statSync(apiBundle).mtimeMs;
    const r = await dry.run([...ARGS.filter((a) => a !== '--skip-build'), '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.firebaseCalls).toEqual([]);
    expect(existsSync(join(dry.dir, 'gcloud.log'))).toBe(false);
    expect(existsSync(join(dry.dir, 'firebase.log'))).toBe(false);
    expect(statSync(apiBundle).mtimeMs).toBe(before); // the build was printed, not run
    expect(r.stdout).toContain('+ node scripts/build.mjs');
    expect(r.stdout).toContain('Dry run finished: nothing was changed.');

    const real = fakeProject();
    const done = await real.run(ARGS);
    const expected = expectedFirstRun(real.workDir).map((argv) => argv.map((a) => a.split(real.workDir).join(dry.workDir)));
    expect(printedCommands(r.stdout)).toEqual(expected);
    expect(printedCommands(done.stdout)).toEqual(expectedFirstRun(real.workDir));
    expect(printedCommands(r.stdout, 'firebase')).toEqual(expectedFirebaseFirstRun(dry.workDir, DRY_APP_ID));
    expect(printedCommands(done.stdout, 'firebase')).toEqual(expectedFirebaseFirstRun(real.workDir));
  });
});

describe('scripts/deploy on a half-configured project', { timeout: 120_000 }, () => {
  it('enables only missing APIs and repairs an existing public bucket instead of recreating it', async () => {
    const project = fakeProject({
      services: ['storage.googleapis.com', 'pubsub.googleapis.com'],
      buckets: { [B]: { location: R, uniform: false, pap: 'inherited', cors: [{ origin: ['*'], method: ['GET', 'PUT'] }], policy: { bindings: [] } } },
    });
    const r = await project.run(ARGS);
    expect(r.code, r.stderr).toBe(0);
    const changes = r.calls.filter(isChange);
    expect(changes[0]).toEqual(['services', 'enable', 'cloudfunctions.googleapis.com', 'run.googleapis.com', 'eventarc.googleapis.com',
      'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'iam.googleapis.com', 'identitytoolkit.googleapis.com',
      'firebase.googleapis.com', 'firebasehosting.googleapis.com', pr]);
    expect(changes[1]).toEqual(['storage', 'buckets', 'update', `gs://${B}`, '--uniform-bucket-level-access', pr]);
    expect(changes[2]).toEqual(['storage', 'buckets', 'update', `gs://${B}`, `--cors-file=${project.workDir}/cors.json`, pr]);
    expect(changes[3]).toEqual(['storage', 'buckets', 'create', `gs://${PB}`, `--location=${R}`, '--uniform-bucket-level-access', '--public-access-prevention', pr]);
    expect(changes.some((c) => c[2] === 'create' && c[3] === `gs://${B}`)).toBe(false);
    expect((await project.run(ARGS)).calls.filter(isChange).map((c) => c.slice(0, 2).join(' '))).toEqual(['beta services', 'functions deploy', 'functions deploy']);
  });

  it('without a relay label sets up no relay access, and a later run with a label adds only that', async () => {
    const project = fakeProject();
    const args = ARGS.filter((a) => !a.startsWith('--relay-label'));
    const r = await project.run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.some((c) => c.includes('subscriptions'))).toBe(false);
    // No relay account and no relay condition; the functions' own conditions stand.
    expect(r.calls.some((c) => c.some((a) => a.includes('sv-relay-') || a.includes('mylab')))).toBe(false);
    expect(r.calls.filter((c) => c.some((a) => a.startsWith('--condition-from-file'))).map((c) => c.find((a) => a.startsWith('--member=')))).toEqual([
      m('sortingview-api'), m('sortingview-worker'), m('sortingview-api'), m('sortingview-api'), m('sortingview-worker'),
    ]);
    expect(r.stdout).toContain(`scripts/deploy --project ${P} --relay-label <label>`);
    expect(r.stdout).not.toContain('sortingview-start-backend');
    expect(JSON.parse(readFileSync(join(project.workDir, 'web', 'config.json'), 'utf8'))).toEqual({ storageUrl: 'https://storage.googleapis.com', apiUrl: API, firebase: SIGN_IN });

    const withLabel = await project.run(ARGS);
    expect(withLabel.code, withLabel.stderr).toBe(0);
    const added = withLabel.calls.filter(isChange).filter((c) => c[1] !== 'deploy' && c[0] !== 'beta');
    expect(added.map((c) => [...c.slice(0, 3), c.find((a) => a.startsWith('--role=')) ?? ''])).toEqual([
      ['pubsub', 'subscriptions', 'create', ''],
      ['iam', 'service-accounts', 'create', ''],
      ['storage', 'buckets', 'add-iam-policy-binding', '--role=roles/storage.objectUser'],
      ['storage', 'buckets', 'add-iam-policy-binding', '--role=roles/storage.objectUser'],
      ['storage', 'buckets', 'add-iam-policy-binding', '--role=roles/storage.objectCreator'],
      ['storage', 'buckets', 'add-iam-policy-binding', '--role=roles/storage.objectViewer'],
      ['pubsub', 'topics', 'add-iam-policy-binding', '--role=roles/pubsub.publisher'],
      ['pubsub', 'subscriptions', 'add-iam-policy-binding', '--role=roles/pubsub.subscriber'],
      ['pubsub', 'subscriptions', 'add-iam-policy-binding', '--role=roles/pubsub.viewer'],
    ]);
  });

  it('repairs a private bucket whose lifecycle would expire more than the chunk cache, and leaves a right one alone', async () => {
    const chunkRule = { rule: [{ condition: { matchesPrefix: ['chunks/'], age: 30 }, action: { type: 'Delete' } }] }; // gcloud's key order may differ
    const bucket = (lifecycle: unknown) => ({ location: R, uniform: true, pap: 'enforced', lifecycle, policy: { bindings: [] } });
    const wrong = fakeProject({ buckets: { [PB]: bucket({ rule: [{ action: { type: 'Delete' }, condition: { age: 1 } }] }) } });
    const r = await wrong.run(ARGS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.filter(isChange)).toContainEqual(['storage', 'buckets', 'update', `gs://${PB}`, `--lifecycle-file=${wrong.workDir}/lifecycle.json`, pr]);
    expect(wrong.state().buckets[PB].lifecycle).toEqual({ rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['chunks/'] } }] });

    const right = fakeProject({ buckets: { [PB]: bucket(chunkRule) } });
    const again = await right.run(ARGS);
    expect(again.code, again.stderr).toBe(0);
    expect(again.calls.some((c) => c.some((a) => a.startsWith('--lifecycle-file')))).toBe(false);
  });

  it('stops with what to do when firebase-tools has no credentials, before the web app is published', async () => {
    const project = fakeProject();
    const r = await project.run(ARGS, { FAKE_FIREBASE_DENY: 'projects:list' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('scripts/deploy stopped: firebase projects:list');
    expect(r.stderr).toContain('Failed to authenticate');
    expect(r.stderr).toContain('gcloud auth application-default login');
    expect(r.firebaseCalls.map((c) => c[0])).toEqual(['projects:list']);
    expect(project.state().hostingReleases ?? []).toEqual([]);
  });

  it('says to pick another --hosting-site when the site id belongs to another project', async () => {
    const project = fakeProject({ hostingSites: { [P]: { project: 'someone-else-1' } } });
    const r = await project.run(ARGS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(r.stderr).toContain('pass --hosting-site with another id');
    const other = await project.run([...ARGS, '--hosting-site=my-lab-123-viewer']);
    expect(other.code, other.stderr).toBe(0);
    expect(project.state().hostingReleases.map((x) => x.site)).toEqual(['my-lab-123-viewer']);
    expect(JSON.parse(readFileSync(join(project.workDir, 'cors.json'), 'utf8'))[0].origin).toEqual(['https://my-lab-123-viewer.web.app', 'https://lab.example.org']);
    expect(other.stdout).toContain('--app-url https://my-lab-123-viewer.web.app/');
  });

  it('stops at a permission error with a hint, and creates nothing after it', async () => {
    const project = fakeProject();
    const r = await project.run(ARGS, { FAKE_GCLOUD_DENY: 'storage buckets describe' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('scripts/deploy stopped');
    expect(r.stderr).toContain('bucket names are global: pass --bucket');
    expect(r.calls.at(-1)?.slice(0, 3)).toEqual(['storage', 'buckets', 'describe']);
  });
});

describe('scripts/deploy configuration', { timeout: 120_000 }, () => {
  it('takes its configuration from the environment too', async () => {
    const project = fakeProject();
    const r = await project.run(['--dry-run'], { GOOGLE_CLOUD_PROJECT: 'env-proj-1', GOOGLE_BUCKET_NAME: 'env-bucket', SORTINGVIEW_REGION: 'us-east1', LABEL: 'lab2' });
    expect(r.code, r.stderr).toBe(0);
    const cmds = printedCommands(r.stdout);
    expect(cmds).toContainEqual(['storage', 'buckets', 'create', 'gs://env-bucket', '--location=us-east1', '--uniform-bucket-level-access', '--project=env-proj-1']);
    expect(cmds).toContainEqual(['storage', 'buckets', 'create', 'gs://env-bucket-private', '--location=us-east1', '--uniform-bucket-level-access',
      '--public-access-prevention', '--project=env-proj-1']);
    expect(cmds.some((c) => c[3] === 'sortingview-relay-lab2')).toBe(true);
  });

  it.each([
    [[], /--project ID/],
    [['--project=Bad_Project'], /not a project id/],
    [[`--project=${P}`, '--relay-label=-x'], /backend label/],
    [[`--project=${P}`, '--app-origins=https://lab.example.org/app'], /not an origin/],
    [[`--project=${P}`, '--app-origins=https://storage.googleapis.com'], /shared by every public bucket/],
    [[`--project=${P}`, '--hosting-site=My_Site'], /not a Hosting site id/],
    [[`--project=${P}`, '--bucket=abc', '--private-bucket=abc'], /must differ/],
    [[`--project=${P}`, '--runtime=nodejs18'], /--runtime nodejs18: Google decommissioned it on 2025-10-30 and no longer deploys it; use nodejs22 or nodejs24/],
    [[`--project=${P}`, '--runtime=nodejs20'], /--runtime nodejs20: Google decommissioned it on 2026-10-30/],
    [[`--project=${P}`, '--runtime=nodejs26'], /not a Node.js runtime this deployment is tested on: use nodejs22 or nodejs24/],
    [[`--project=${P}`, '--api-max-instances=0'], /--api-max-instances "0": a whole number/],
    [[`--project=${P}`, '--oauth-client-id=not-a-client'], /is not an OAuth client id/],
    [[`--project=${P}`, '--oauth-client-id=123456789012-abcdefghij.apps.googleusercontent.com'], /needs its secret: .*--oauth-client-secret-file FILE/],
    [[`--project=${P}`, '--colour=blue'], /Unknown option/],
  ])('refuses %j before calling gcloud', async (args, message) => {
    const project = fakeProject();
    const r = await project.run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.calls).toEqual([]);
  });

  it('--help prints the usage and runs nothing', async () => {
    const project = fakeProject();
    const r = await project.run(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--dry-run');
    expect(r.calls).toEqual([]);
  });
});
