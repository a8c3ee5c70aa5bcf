// scripts/deploy's sign-in setup against the stand-in firebase and Identity Toolkit: the web app's
// config in config.json, Authentication initialised, the Google provider from the OAuth client
// passed in (its secret never printed), the authorized domains; and the worker's deploy retried
// while Eventarc's service agent is not ready.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './bundles';
import { fakeProject, root } from './helpers';
import { createGcloud } from '../../scripts/deploy.d/gcloud.mjs';
import { parseOptions } from '../../scripts/deploy.d/options.mjs';
import { deployFunctions, EVENTARC_RETRY } from '../../scripts/deploy.d/steps.mjs';

const P = 'my-lab-123';
const ARGS = [`--project=${P}`, '--app-origins=https://lab.example.org', '--relay-label=mylab', '--skip-build'];
const CLIENT_ID = '123456789012-abcdefghijklmnop.apps.googleusercontent.com';
const SECRET = 'GOCSPX-fakeSecret_0123456789';
const base = `/admin/v2/projects/${P}`;

function secretFile(dir: string, secret: string): string {
  const file = join(dir, 'oauth-secret');
  writeFileSync(file, `${secret}\n`);
  chmodSync(file, 0o600);
  return file;
}

beforeAll(() => ensureBuilt(), 120_000);

describe('scripts/deploy sets up sign-in', { timeout: 120_000 }, () => {
  it('initialises Authentication, enables Google with the client passed in, and authorizes exactly the app\'s domains', async () => {
    const project = fakeProject();
    const args = [...ARGS, `--oauth-client-id=${CLIENT_ID}`, `--oauth-client-secret-file=${secretFile(project.dir, SECRET)}`];
    const r = await project.run(args);
    expect(r.code, r.stderr).toBe(0);
    const id = project.identity();
    expect(id.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET ${base}/config`,
      `POST /v2/projects/${P}/identityPlatform:initializeAuth`,
      `GET ${base}/config`,
      `PATCH ${base}/config?updateMask=authorizedDomains`,
      `GET ${base}/defaultSupportedIdpConfigs/google.com`,
      `POST ${base}/defaultSupportedIdpConfigs?idpId=google.com`,
    ]);
    expect(id.google).toMatchObject({ enabled: true, clientId: CLIENT_ID, clientSecret: SECRET });
    // The hosting origin, the extra origin and the auth domain; not localhost, which Firebase adds.
    expect([...id.config!.authorizedDomains].sort()).toEqual(['lab.example.org', `${P}.firebaseapp.com`, `${P}.web.app`]);
    // The secret reaches Google and nothing else: not the output, not a file of the work dir.
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout).toContain(`Sign-in:      Google accounts through ${P}.firebaseapp.com`);
    expect(r.stdout).not.toContain('Google sign-in is not enabled');

    // Again: reads only. Then a new secret (rotated in the console): one PATCH of the provider.
    const before = id.requests.length;
    expect((await project.run(args)).code).toBe(0);
    expect(id.requests.slice(before).map((q) => q.method)).toEqual(['GET', 'GET']);
    const rotated = await project.run([...ARGS, `--oauth-client-id=${CLIENT_ID}`, `--oauth-client-secret-file=${secretFile(project.dir, 'GOCSPX-rotated_9876543210')}`]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(id.requests.slice(-1).map((q) => `${q.method} ${q.path}`)).toEqual([`PATCH ${base}/defaultSupportedIdpConfigs/google.com?updateMask=enabled,clientId,clientSecret`]);
    expect(id.google?.clientSecret).toBe('GOCSPX-rotated_9876543210');
  });

  it('keeps domains a person added, removes storage.googleapis.com, and says when Google sign-in is still off', async () => {
    const project = fakeProject(undefined, {
      initial: { config: { name: `projects/${P}/config`, authorizedDomains: ['localhost', `${P}.firebaseapp.com`, 'viewer.lab.example.org', 'storage.googleapis.com'] } },
    });
    const r = await project.run(ARGS);
    expect(r.code, r.stderr).toBe(0);
    const id = project.identity();
    expect(id.requests.some((q) => q.path.includes('initializeAuth'))).toBe(false);
    expect([...id.config!.authorizedDomains].sort()).toEqual(['lab.example.org', `${P}.firebaseapp.com`, `${P}.web.app`, 'viewer.lab.example.org']);
    expect(id.google).toBeUndefined();
    expect(r.stdout).toContain('Google sign-in is not enabled yet: pass --oauth-client-id');
    expect(r.stdout).toContain('auth/operation-not-allowed');
  });

  it('reads the OAuth secret from the environment too, and prints it redacted in a dry run', async () => {
    const project = fakeProject();
    const r = await project.run([...ARGS, '--dry-run'], { SORTINGVIEW_OAUTH_CLIENT_ID: CLIENT_ID, SORTINGVIEW_OAUTH_CLIENT_SECRET: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain(`+ POST ${project.identityUrl()}admin/v2/projects/${P}/defaultSupportedIdpConfigs?idpId=google.com `
      + `{"enabled":true,"clientId":"${CLIENT_ID}","clientSecret":"<redacted>"}`);
  });

  it('stops with the reason in the deployer\'s terms when Google refuses a sign-in setting', async () => {
    const project = fakeProject(undefined, { project: 'another-project' }); // the stand-in answers for another project: 403
    const r = await project.run(ARGS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`scripts/deploy stopped: GET `);
    expect(r.stderr).toContain('requires a quota project');
    expect(r.stderr).toContain('roles/firebaseauth.admin');
    expect(project.state().hostingReleases ?? []).toEqual([]); // nothing published after the failure
  });
});

describe('the worker\'s deploy while Eventarc\'s service agent is not ready', { timeout: 180_000 }, () => {
  async function deployWith(failures: number) {
    const project = fakeProject();
    expect((await project.run(ARGS)).code).toBe(0); // a deployed project: topics, accounts
    const env = { ...process.env, PATH: `${join(root, 'test', 'deploy', 'fake-gcloud')}:${process.env.PATH}`,
      FAKE_GCLOUD_LOG: join(project.dir, 'gcloud.log'), FAKE_GCLOUD_STATE: join(project.dir, 'state.json'), FAKE_GCLOUD_EVENTARC_FAILS: String(failures) };
    const lines: string[] = [];
    const waits: number[] = [];
    const g = createGcloud({ dryRun: false, out: (l: string) => lines.push(l), env, sleep: async (ms: number) => { waits.push(ms); } });
    const cfg = parseOptions([...ARGS, `--work-dir=${project.workDir}`], {}, root);
    const outcome = await deployFunctions(g, cfg).then((url) => ({ url }), (err: Error) => ({ err }));
    return { outcome, lines, waits, project };
  }

  it('retries until the trigger is accepted', async () => {
    const { outcome, lines, waits, project } = await deployWith(3);
    expect(outcome).toEqual({ url: 'https://api-fake-uc.a.run.app' });
    expect(waits).toEqual([30_000, 30_000, 30_000]);
    expect(lines.filter((l) => l.includes('not ready yet'))).toEqual([2, 3, 4].map((n) => `  (not ready yet, retrying in 30 s: attempt ${n} of ${EVENTARC_RETRY.attempts})`));
    expect(project.state().functions.worker.deploys).toBe(2); // the first run's and this one's
  });

  it('gives up after its attempts with Google\'s message', async () => {
    const { outcome, waits } = await deployWith(EVENTARC_RETRY.attempts);
    expect(waits).toHaveLength(EVENTARC_RETRY.attempts - 1);
    expect((outcome as { err: Error }).err.message).toContain('Permission denied while using the Eventarc Service Agent');
  });
});
