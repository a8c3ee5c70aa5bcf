// Every firebase-tools command scripts/deploy issues must get through the real firebase-tools'
// parser (the devDependency in node_modules), offline, twice per command:
//  1. with a sentinel option appended: commander stops at the first option it does not know, so an
//     error naming the sentinel = every option before it exists;
//  2. as it is, with an empty HOME and no credentials: firebase-tools gets past parsing and stops
//     at authentication ("Failed to authenticate"), before any call to Firebase.
// Then the same deploy with a (made-up) service-account key in GOOGLE_APPLICATION_CREDENTIALS gets
// past that point and tries to exchange the key for a token: a deploy needs no `firebase login`.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './bundles';
import { fakeProject, printedCommands, root } from './helpers';

const firebaseBin = join(root, 'node_modules', '.bin', 'firebase');
const SENTINEL = '--sortingview-parse-check';

interface Outcome { code: number | null; output: string }

function firebase(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Outcome> {
  const home = mkdtempSync(join(tmpdir(), 'sv-firebase-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extraEnv };
  for (const k of ['GOOGLE_APPLICATION_CREDENTIALS', 'FIREBASE_TOKEN', 'CLOUDSDK_CONFIG']) if (!(k in extraEnv)) delete env[k];
  env.CLOUDSDK_CONFIG = join(home, 'gcloud'); // no gcloud application-default credentials either
  return new Promise((resolve) => {
    const child = spawn(firebaseBin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

describe.skipIf(!existsSync(firebaseBin))('the real firebase-tools accepts every command of scripts/deploy (offline)', { timeout: 180_000 }, () => {
  let commands: string[][] = [];
  let workDir = '';
  beforeAll(async () => {
    ensureBuilt();
    const project = fakeProject();
    const r = await project.run(['--project=my-lab-123', '--relay-label=mylab', '--skip-build', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    commands = printedCommands(r.stdout, 'firebase');
    workDir = project.workDir;
  }, 120_000);

  it('knows the method works: an unknown option before the sentinel is named instead of it', async () => {
    const bogus = await firebase(['deploy', '--only=hosting', '--bogus-flag', SENTINEL], workDir);
    expect(bogus.output).toContain("unknown option '--bogus-flag'");
    expect(commands.map((c) => c[0])).toEqual(['projects:list', 'projects:addfirebase', 'apps:list', 'apps:create', 'apps:sdkconfig', 'hosting:sites:get', 'hosting:sites:create', 'deploy']);
  });

  it('parses each command and stops only at authentication', async () => {
    for (const argv of commands) {
      const withSentinel = await firebase([...argv, SENTINEL], workDir);
      expect(withSentinel.output, argv.join(' ')).toContain(`unknown option '${SENTINEL}'`);
      const plain = await firebase(argv, workDir);
      expect(plain.code, argv.join(' ')).toBe(1);
      expect(plain.output, argv.join(' ')).toContain('Failed to authenticate');
    }
  });

  it('deploys with GOOGLE_APPLICATION_CREDENTIALS and no login: it asks Google for a token with the key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'sv-key-')), 'key.json');
    writeFileSync(keyFile, JSON.stringify({
      type: 'service_account', project_id: 'my-lab-123', private_key_id: 'test', client_id: '1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: 'deployer@my-lab-123.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    }));
    const deploy = commands.find((c) => c[0] === 'deploy')!;
    const r = await firebase([...deploy, '--debug'], workDir, { GOOGLE_APPLICATION_CREDENTIALS: keyFile });
    // The token request fails here only because this machine cannot reach Google.
    expect(r.output).toMatch(/googleapis\.com\/oauth2(\/v4)?\/token/);
    expect(r.output).toMatch(/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/);
  });
});
