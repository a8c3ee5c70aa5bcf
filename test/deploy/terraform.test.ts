// terraform/*.tf, parsed with @cdktf/hcl2json (no provider can be downloaded here, so no plan):
// the resources, the public/private split, CORS, the functions against the bundles of
// scripts/build.mjs, and agreement with what scripts/deploy creates.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandBindings, serviceAccounts } from '../../iam/policy.mjs';
import { ensureBuilt, minNodeMajor, readBundle } from './bundles';
import { fakeProject, root, type FakeState } from './helpers';

type Block = Record<string, any>;
interface Tf {
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  variable: Record<string, Block>;
  output: Record<string, Block>;
  locals: Block;
}

const tfDir = join(root, 'terraform');
const tfFiles = readdirSync(tfDir).filter((f) => f.endsWith('.tf')).sort();

/** All .tf files merged; every block is unwrapped from hcl2json's one-element lists. */
async function loadTerraform(): Promise<Tf> {
  const tf: Tf = { resource: {}, data: {}, variable: {}, output: {}, locals: {} };
  for (const f of tfFiles) {
    const j = await parse(f, readFileSync(join(tfDir, f), 'utf8')) as Record<string, any>;
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(j[kind] ?? {}) as [string, Record<string, Block[]>][]) {
        tf[kind][type] ??= {};
        for (const [name, blocks] of Object.entries(byName)) {
          expect(tf[kind][type][name], `${type}.${name} declared twice`).toBeUndefined();
          tf[kind][type][name] = blocks[0];
        }
      }
    }
    for (const [name, blocks] of Object.entries(j.variable ?? {}) as [string, Block[]][]) tf.variable[name] = blocks[0];
    for (const [name, blocks] of Object.entries(j.output ?? {}) as [string, Block[]][]) tf.output[name] = blocks[0];
    for (const l of (j.locals ?? []) as Block[]) Object.assign(tf.locals, l);
  }
  return tf;
}

const P = 'my-lab-123';
const B = `${P}-sortingview`;
const PB = `${B}-private`;

let tf: Tf;
interface TfBinding { on: string; role: string; member: string; label: string; condition: { title: string; description: string; expression: string } | null }
/** The outputs of terraform/iam_policy for project P with label mylab, as terraform computes them. */
let tfIam: { bindings: Record<string, TfBinding>; service_accounts: Record<string, { id: string; display_name: string }> };

const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

/** Without terraform on the machine: the same outputs from iam/policy.mjs (the agreement test is then skipped). */
function mjsIam(): typeof tfIam {
  const bindings: Record<string, TfBinding> = {};
  for (const b of expandBindings({ project: P, bucket: B, privateBucket: PB, labels: ['mylab'] })) {
    if (!b.local) bindings[`${b.on}/${b.role}/${b.key}${b.label ? `/${b.label}` : ''}`] = { on: b.on, role: b.role, member: b.member, label: b.label ?? '', condition: b.condition ?? null };
  }
  const service_accounts = Object.fromEntries(Object.entries(serviceAccounts(P, ['mylab'])).map(([k, v]) => [k, { id: v.id, display_name: v.displayName }]));
  return { bindings, service_accounts };
}

/** Evaluates the provider-free module terraform/iam_policy with terraform console (offline; no init needed). */
function evaluateIamModule(vars: Record<string, string>) {
  const args = ['-chdir=' + join(tfDir, 'iam_policy'), 'console', ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`)];
  const r = spawnSync('terraform', args, { input: 'jsonencode({bindings = local.bindings, service_accounts = local.service_accounts})\n', encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(JSON.parse(r.stdout.trim()));
}
let script: FakeState;
let scriptCalls: string[][];
let scriptWorkDir: string;

beforeAll(async () => {
  ensureBuilt();
  tf = await loadTerraform();
  tfIam = hasTerraform ? evaluateIamModule({ project: P, bucket: B, private_bucket: PB, relay_labels: '["mylab"]' }) : mjsIam();
  const project = fakeProject();
  const r = await project.run([`--project=${P}`, '--relay-label=mylab', '--skip-build']);
  expect(r.code, r.stderr).toBe(0);
  script = project.state();
  scriptCalls = r.calls;
  scriptWorkDir = project.workDir;
}, 120_000);

const fn = (name: string) => tf.resource.google_cloudfunctions2_function[name];
const first = <T>(x: T[] | undefined): T => (x ?? [])[0];

describe('terraform/ declares the deployment', () => {
  it('parses, with the resources of the issue', () => {
    expect(tfFiles).toEqual(['functions.tf', 'iam.tf', 'main.tf', 'outputs.tf', 'pubsub.tf', 'storage.tf', 'variables.tf', 'versions.tf', 'web.tf']);
    expect(Object.keys(tf.resource.google_storage_bucket).sort()).toEqual(['private', 'public', 'sources']);
    expect(tf.resource.google_pubsub_topic.tasks.name).toBe('sortingview-tasks');
    expect(tf.resource.google_pubsub_topic.relay.name).toBe('sortingview-relay');
    expect(tf.resource.google_pubsub_subscription.relay).toMatchObject({
      for_each: '${var.relay_labels}',
      name: 'sortingview-relay-${each.value}',
      topic: '${google_pubsub_topic.relay.id}',
      filter: 'attributes.backend = "${each.value}"',
      ack_deadline_seconds: 60,
      expiration_policy: [{ ttl: '' }],
    });
    expect(Object.keys(tf.resource.google_cloudfunctions2_function).sort()).toEqual(['api', 'worker']);
    expect(tf.data.archive_file.function).toMatchObject({ type: 'zip', source_dir: '${path.module}/../dist/functions/${each.key}' });
    expect(tf.resource.google_storage_bucket_object.function_source.source).toBe('${data.archive_file.function[each.key].output_path}');
    expect(Object.keys(tf.variable)).toEqual(expect.arrayContaining(['project', 'region', 'app_origins']));
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(['api_url', 'bucket', 'private_bucket', 'backend_uri_pattern']));
    expect(tf.output.api_url.value).toBe('${google_cloudfunctions2_function.api.service_config[0].uri}');
    expect(tf.output.backend_uri_pattern.value).toBe('gs://${google_storage_bucket.public.name}/sortingview-backends/<label>.json');
  });

  it('grants allUsers nothing on the private bucket: object gets (never lists) on the public one and calls to the API', () => {
    const publicGrants = Object.entries(tfIam.bindings).filter(([, b]) => b.member === 'allUsers' || b.member === 'allAuthenticatedUsers');
    expect(publicGrants.map(([k]) => k).sort()).toEqual(['apiService/roles/run.invoker/allUsers', 'publicBucket/roles/storage.legacyObjectReader/allUsers']);
    // legacyObjectReader holds storage.objects.get only: a workspace id stays a capability.
    expect(JSON.parse(readFileSync(join(root, 'iam', 'policy.json'), 'utf8')).roles['roles/storage.legacyObjectReader']).toEqual(['storage.objects.get']);
    // The resources iam.tf declares take every binding from the module: no role or member is written in HCL.
    const iamTf = JSON.stringify(Object.fromEntries(Object.entries(tf.resource).filter(([t]) => /_iam_member$/.test(t))));
    expect(iamTf).not.toMatch(/roles\/|allUsers|serviceAccount:/);
    expect(tf.resource.google_storage_bucket_iam_member.public).toMatchObject({ bucket: '${google_storage_bucket.public.name}', for_each: '${local.iam.publicBucket}' });
    expect(tf.resource.google_storage_bucket_iam_member.private).toMatchObject({ bucket: '${google_storage_bucket.private.name}', for_each: '${local.iam.privateBucket}' });
    expect(tf.resource.google_cloud_run_service_iam_member.api.service).toBe('${google_cloudfunctions2_function.api.name}');
    expect(tf.resource.google_storage_bucket.private).toMatchObject({ public_access_prevention: 'enforced', uniform_bucket_level_access: true });
    expect(tf.resource.google_storage_bucket.private.cors).toBeUndefined();
    expect(tf.resource.google_storage_bucket.public.uniform_bucket_level_access).toBe(true);
  });

  it('has the CORS rule of the original sortingview instructions, for the app origins', () => {
    expect(tf.resource.google_storage_bucket.public.cors).toEqual([
      { origin: '${local.app_origins}', method: ['GET'], response_header: ['Content-Type'], max_age_seconds: 3600 },
    ]);
    expect(tf.locals.public_storage_url).toBe('https://storage.googleapis.com');
    expect(tf.locals.app_origins).toBe('${distinct(concat([local.hosting_origin], var.app_origins))}');
    // The same rule as scripts/deploy's cors.json.
    const cors = JSON.parse(readFileSync(join(scriptWorkDir, 'cors.json'), 'utf8'));
    expect(cors).toEqual([{ origin: [`https://${P}.web.app`], method: ['GET'], responseHeader: ['Content-Type'], maxAgeSeconds: 3600 }]);
  });

  it('deploys each function with the entry point its bundle registers and a runtime its package.json admits', () => {
    const names = ['api', 'worker'];
    expect(tf.locals.function_names).toBe('${toset(["api", "worker"])}');
    for (const name of names) {
      const bundle = readBundle(name);
      const f = fn(name);
      const build = first(f.build_config as Block[]);
      expect(bundle.registrations, `dist/functions/${name}`).toHaveLength(1);
      expect(build.entry_point).toBe(bundle.registrations[0].name);
      expect(build.runtime).toBe('${var.functions_runtime}');
      expect(first(first(build.source as Block[]).storage_source as Block[]).object).toBe(`\${google_storage_bucket_object.function_source["${name}"].name}`);
      // HTTP bundle ⇔ no event trigger; CloudEvent bundle ⇔ the Pub/Sub trigger.
      expect(f.event_trigger === undefined).toBe(bundle.registrations[0].kind === 'http');
      expect(bundle.packageJson.type).toBe('module');
      expect(existsSync(join(bundle.dir, bundle.packageJson.main))).toBe(true);
      expect(Object.keys(bundle.packageJson.dependencies)).toContain('@google-cloud/functions-framework');
      // archive_file zips exactly this folder.
      expect(resolve(tfDir, `../dist/functions/${name}`)).toBe(bundle.dir);
      const runtime = tf.variable.functions_runtime.default as string;
      expect(Number(/^nodejs(\d+)$/.exec(runtime)?.[1])).toBeGreaterThanOrEqual(minNodeMajor(bundle.packageJson.engines?.node));
      // scripts/deploy deploys the same bundle with the same entry point and runtime.
      const call = scriptCalls.find((c) => c[0] === 'functions' && c[1] === 'deploy' && c[2] === name);
      expect(call).toEqual(expect.arrayContaining([`--entry-point=${bundle.registrations[0].name}`, `--runtime=${runtime}`, `--source=${bundle.dir}`]));
    }
    expect(readBundle('api').registrations[0].kind).toBe('http');
    expect(readBundle('worker').registrations[0].kind).toBe('cloudEvent');
  });

  it('triggers the worker from sortingview-tasks through Eventarc, with retries, as the trigger identity', () => {
    expect(first(fn('worker').event_trigger as Block[])).toEqual({
      trigger_region: '${var.region}',
      event_type: 'google.cloud.pubsub.topic.v1.messagePublished',
      pubsub_topic: '${google_pubsub_topic.tasks.id}',
      retry_policy: 'RETRY_POLICY_RETRY',
      service_account_email: '${google_service_account.sa["trigger"].email}',
    });
    expect(tf.resource.google_cloud_run_service_iam_member.worker).toMatchObject({ service: '${google_cloudfunctions2_function.worker.name}', for_each: '${local.iam.workerService}' });
    expect(Object.values(tfIam.bindings).filter((b) => b.on === 'workerService').map((b) => `${b.role} ${b.member}`))
      .toEqual([`roles/run.invoker serviceAccount:sortingview-trigger@${P}.iam.gserviceaccount.com`]);
  });

  it('configures the functions as scripts/deploy does (memory, timeout, instances, identity, environment)', () => {
    const env = Object.fromEntries(readFileSync(join(scriptWorkDir, 'functions.env.yaml'), 'utf8').trim().split('\n').map((l) => l.split(': ')));
    for (const name of ['api', 'worker']) {
      const sc = first(fn(name).service_config as Block[]);
      const call = scriptCalls.find((c) => c[1] === 'deploy' && c[2] === name) ?? [];
      expect(call).toContain(`--cpu=${sc.available_cpu}`);
      expect(call).toContain(`--memory=${sc.available_memory}`);
      expect(call).toContain(`--concurrency=${sc.max_instance_request_concurrency}`);
      expect(call).toContain(`--timeout=${sc.timeout_seconds}s`);
      expect(sc.max_instance_count).toBe(`\${var.${name}_max_instances}`);
      expect(call).toContain(`--max-instances=${tf.variable[`${name}_max_instances`].default}`);
      // Each function runs as its own account (iam/policy.json), the same in both deployment paths.
      expect(sc.service_account_email).toBe(`\${google_service_account.sa["${name}"].email}`);
      expect(call).toContain(`--service-account=${tfIam.service_accounts[name].id}@${P}.iam.gserviceaccount.com`);
      expect(sc.environment_variables).toBe('${local.functions_env}');
      expect(first(fn(name).build_config as Block[]).service_account).toBe('${google_service_account.sa["build"].id}');
    }
    expect(first(fn('worker').service_config as Block[]).timeout_seconds).toBe(540);
    expect(Object.keys(tf.locals.functions_env).sort()).toEqual(Object.keys(env).sort());
    expect(tf.locals.bucket).toBe('${coalesce(var.bucket_name, "${var.project}-sortingview")}');
    expect(tf.locals.private_bucket).toBe('${coalesce(var.private_bucket_name, "${local.bucket}-private")}');
    expect(JSON.parse(env.GOOGLE_BUCKET_NAME)).toBe(B);
    expect(JSON.parse(env.SORTINGVIEW_PRIVATE_BUCKET)).toBe(PB);
  });

  it('sizes the API for many requests per instance and the worker for one task per instance', () => {
    const api = first(fn('api').service_config as Block[]);
    const worker = first(fn('worker').service_config as Block[]);
    // Cloud Run serves more than one request per instance only with a whole vCPU.
    expect(Number(api.available_cpu)).toBeGreaterThanOrEqual(1);
    expect(api.max_instance_request_concurrency).toBe(80);
    expect(worker.max_instance_request_concurrency).toBe(1);
    // The stated load: 20 pages x 32 tasks in flight = 640 requests, with room to spare.
    expect(80 * (tf.variable.api_max_instances.default as number)).toBeGreaterThanOrEqual(2 * 640);
  });

  it('refuses decommissioned runtimes, as scripts/deploy does', () => {
    const v = tf.variable.functions_runtime;
    const conditions = (v.validation as Block[]).map((x) => x.condition as string).join(' ');
    expect(conditions).toContain('"nodejs18", "nodejs20"');
    expect(conditions).toContain('"nodejs22", "nodejs24"');
    expect(v.default).toBe('nodejs22');
  });

  it('waits for Eventarc\'s service agent before the worker\'s trigger', () => {
    expect(tf.resource.google_project_service_identity.eventarc).toMatchObject({ service: 'eventarc.googleapis.com', provider: '${google-beta}' });
    expect(tf.resource.time_sleep.eventarc_agent.depends_on).toEqual(['${google_project_service_identity.eventarc}']);
    expect(fn('worker').depends_on).toContain('${time_sleep.eventarc_agent}');
  });

  it('sets up sign-in: Authentication with the app\'s authorized domains, and Google from the OAuth client passed in', () => {
    const auth = tf.resource.google_identity_platform_config.auth;
    expect(auth.authorized_domains).toBe('${local.authorized_domains}');
    expect(tf.locals.authorized_domains).toContain('local.hosting_origin');
    expect(tf.locals.authorized_domains).toContain('var.app_origins');
    expect(tf.locals.authorized_domains).toContain('firebaseapp.com');
    expect(tf.locals.authorized_domains).not.toMatch(/localhost|storage\.googleapis/);
    const google = tf.resource.google_identity_platform_default_supported_idp_config.google;
    expect(google).toMatchObject({ idp_id: 'google.com', client_id: '${var.oauth_client_id}', client_secret: '${var.oauth_client_secret}', enabled: true });
    expect(google.count).toBe('${var.oauth_client_id == null ? 0 : 1}');
    expect(tf.variable.oauth_client_secret.sensitive).toBe(true);
  });

  it('enables the same APIs and creates the same service accounts as scripts/deploy', () => {
    const apis = [...(tf.locals.apis as string).matchAll(/"([a-z.]+\.googleapis\.com)"/g)].map((x) => x[1]).sort();
    expect(apis).toEqual([...script.services].sort());
    expect(tf.resource.google_service_account.sa.for_each).toBe('${module.iam.service_accounts}');
    const ids = Object.values(tfIam.service_accounts).map((sa) => `${sa.id}@${P}.iam.gserviceaccount.com`).sort();
    expect(ids).toEqual(Object.keys(script.serviceAccounts).sort());
    expect(ids).toEqual(Object.values(serviceAccounts(P, ['mylab'])).map((sa) => sa.email).sort());
  });

  it.skipIf(!hasTerraform)('expands iam/policy.json exactly as iam/policy.mjs does (terraform evaluates its module), and scripts/deploy grants the same', () => {
    // Terraform's expansion (terraform/iam_policy, evaluated by terraform) against the one the script and the emulator use.
    const fromMjs = expandBindings({ project: P, bucket: B, privateBucket: PB, labels: ['mylab'] }).filter((b) => !b.local);
    const line = (b: { on: string; role: string; member: string; condition?: { title: string; description: string; expression: string } | null }) =>
      `${b.on} ${b.role} ${b.member} ${b.condition ? `${b.condition.title} | ${b.condition.description} | ${b.condition.expression}` : ''}`;
    expect(Object.values(tfIam.bindings).map(line).sort()).toEqual(fromMjs.map(line).sort());
    expect(Object.keys(tfIam.bindings)).toHaveLength(fromMjs.length);
    // And what the script left in the fake project's policies is that same set.
    const fromScript: string[] = [];
    const add = (on: string, bindings: FakeState['projectPolicy']['bindings']) => {
      for (const b of bindings) for (const mm of b.members) fromScript.push(`${on} ${b.role} ${mm} ${b.condition?.expression ?? ''}`);
    };
    add('project', script.projectPolicy.bindings);
    add('publicBucket', script.buckets[B].policy.bindings);
    add('privateBucket', script.buckets[PB].policy.bindings);
    add('tasksTopic', script.topics['sortingview-tasks'].policy.bindings);
    add('relayTopic', script.topics['sortingview-relay'].policy.bindings);
    add('relaySubscription', script.subscriptions['sortingview-relay-mylab'].policy.bindings);
    add('apiService', script.runServices.api.policy.bindings); // --allow-unauthenticated
    add('workerService', script.runServices.worker.policy.bindings);
    expect(fromScript.sort()).toEqual(Object.values(tfIam.bindings).map((b) => `${b.on} ${b.role} ${b.member} ${b.condition?.expression ?? ''}`).sort());
    // Each binding kind lands on a resource of the matching type, keyed by the module's output.
    expect(tf.resource.google_pubsub_subscription_iam_member.relay.subscription).toBe('${google_pubsub_subscription.relay[each.value.label].name}');
    expect(tf.locals.iam).toContain('module.iam.bindings');
  });

  it('hosts the web app on its own Firebase Hosting site, the origin scripts/deploy uses, and nothing of it in a bucket', () => {
    expect(tf.resource.google_storage_bucket_object.web).toBeUndefined();
    expect(tf.resource.google_storage_bucket_object.web_config).toBeUndefined();
    expect(Object.keys(tf.resource.google_storage_bucket_object)).toEqual(['function_source']);
    expect(tf.resource.google_firebase_project.default).toMatchObject({ provider: '${google-beta}', project: '${var.project}' });
    expect(tf.resource.google_firebase_hosting_site.web).toMatchObject({
      provider: '${google-beta}', project: '${var.project}', site_id: '${local.hosting_site}', app_id: '${google_firebase_web_app.sortingview.app_id}',
    });
    expect(tf.locals.hosting_site).toBe('${coalesce(var.hosting_site, var.project)}');
    expect(tf.locals.hosting_origin).toBe('https://${local.hosting_site}.web.app');
    // The API and the bucket's CORS allow the Hosting origin, as scripts/deploy's do, and not the shared storage origin.
    expect(tf.locals.app_origins).toBe('${distinct(concat([local.hosting_origin], var.app_origins))}');
    const env = Object.fromEntries(readFileSync(join(scriptWorkDir, 'functions.env.yaml'), 'utf8').trim().split('\n').map((l) => l.split(': ')));
    expect(JSON.parse(env.SORTINGVIEW_APP_ORIGINS)).toBe(`https://${P}.web.app`);
    expect(JSON.stringify(tf.variable.app_origins.validation)).toContain('!contains(var.app_origins, \\"https://storage.googleapis.com\\")');
    expect(tf.output.web_app_url.value).toBe('${local.hosting_origin}/');
    expect(script.hostingReleases.map((r) => r.site)).toEqual([P]);
  });

  it('prints a web_deploy_command that scripts/deploy accepts and that publishes to the declared site', async () => {
    const template = tf.output.web_deploy_command.value as string;
    for (const flag of ['--web-only', '--project=', '--bucket=', '--private-bucket=', '--hosting-site=${google_firebase_hosting_site.web.site_id}',
      '--firebase-api-key=${data.google_firebase_web_app_config.sortingview.api_key}', '--relay-label=${local.default_label}']) {
      expect(template).toContain(flag);
    }
    // The command as terraform would print it for project P with one label, run against the stand-ins.
    const argv = ['--web-only', `--project=${P}`, '--region=us-central1', `--bucket=${B}`, `--private-bucket=${PB}`, `--hosting-site=${P}`,
      '--firebase-api-key=AIzaSyFakeKey_0123456789', `--firebase-auth-domain=${P}.firebaseapp.com`, '--relay-label=mylab', '--skip-build'];
    const project = fakeProject({ hostingSites: { [P]: { project: P } }, functions: { api: { uri: 'https://api-tf-uc.a.run.app' } } });
    const r = await project.run(argv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls).toEqual([['functions', 'describe', 'api', '--gen2', '--region=us-central1', '--format=value(serviceConfig.uri)', `--project=${P}`]]);
    expect(r.firebaseCalls.map((c) => c[0])).toEqual(['hosting:sites:get', 'deploy']);
    expect(project.state().hostingReleases[0].configJson).toEqual({
      storageUrl: 'https://storage.googleapis.com', apiUrl: 'https://api-tf-uc.a.run.app', defaultBackendUri: `gs://${B}/sortingview-backends/mylab.json`,
      firebase: { apiKey: 'AIzaSyFakeKey_0123456789', authDomain: `${P}.firebaseapp.com`, projectId: P },
    });
  }, 60_000);

  it('expires the private bucket\'s chunk cache, and nothing else, as scripts/deploy does', () => {
    expect(tf.resource.google_storage_bucket.private.lifecycle_rule).toEqual([
      { condition: [{ age: 30, matches_prefix: ['chunks/'] }], action: [{ type: 'Delete' }] },
    ]);
    expect(tf.resource.google_storage_bucket.public.lifecycle_rule).toBeUndefined();
    expect(script.buckets[PB].lifecycle).toEqual({ rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['chunks/'] } }] });
  });
});

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
describe.skipIf(terraform.status !== 0)('terraform fmt', () => {
  it('finds nothing to reformat', () => {
    const r = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', tfDir], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
