// A lab's everyday `gcloud storage` commands against the storage emulator, with the real gcloud:
// ls, cp up (multipart below 8 MiB, resumable above it) and down, cat, rm -r. gcloud is pointed at
// the emulator's trusted port (api_endpoint_overrides/storage) without credentials
// (auth/disable_credentials): no Authorization header on the trusted port is the project's owner
// (emulator/storage/access.ts), as a lab member with the project's roles is on GCS.
// Skipped, with the reason printed, where gcloud is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStorageEmulator, type StorageEmulator } from '../../emulator/storage';

const BUCKET = 'sv-gcloud-test';
const TIMEOUT_MS = 60_000;

function gcloudEnv(configDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
  };
  for (const k of Object.keys(env)) if (k.startsWith('CLOUDSDK_CORE_ACCOUNT') || k === 'CLOUDSDK_CORE_PROJECT' || k === 'GOOGLE_APPLICATION_CREDENTIALS' || k.startsWith('CLOUDSDK_API_ENDPOINT_OVERRIDES')) delete env[k];
  return env;
}

interface Run { code: number | null; stdout: Buffer; stderr: string }

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('gcloud', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout: Buffer.concat(out), stderr }); });
  });
}

const probe = spawnSync('gcloud', ['--version'], { env: gcloudEnv(mkdtempSync(join(tmpdir(), 'sv-gcloud-probe-'))), encoding: 'utf8', timeout: 30_000 });
const skipReason = probe.status === 0 ? undefined : `gcloud is not on this machine (${probe.error?.message ?? probe.stderr?.trim() ?? `exit ${probe.status}`})`;
if (skipReason) console.log(`gcloud storage against the emulator: skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('gcloud storage against the storage emulator', () => {
  let emulator: StorageEmulator;
  let env: NodeJS.ProcessEnv;
  let work: string;
  const gcloud = async (...args: string[]): Promise<Buffer> => {
    const r = await run(['storage', ...args], env);
    expect(r.code, `gcloud storage ${args.join(' ')}:\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    emulator = await startStorageEmulator({ buckets: [{ name: BUCKET, public: false }], projectId: 'sortingview-test' });
    work = mkdtempSync(join(tmpdir(), 'sv-gcloud-storage-'));
    env = gcloudEnv(join(work, 'config'));
    for (const [key, value] of [
      ['api_endpoint_overrides/storage', `${emulator.url}/`],
      ['auth/disable_credentials', 'true'],
      ['core/project', 'sortingview-test'],
    ]) {
      const r = await run(['config', 'set', key!, value!], env);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ls, cp (small and above 8 MiB) both ways, cat and rm -r', async () => {
    const small = Buffer.from('spike times\nend in CR\r');
    const big = randomBytes(8 * 1024 * 1024 + 12345); // above gcloud's resumable threshold
    writeFileSync(join(work, 'small.txt'), small);
    writeFileSync(join(work, 'big.bin'), big);

    expect((await gcloud('ls')).toString()).toContain(`gs://${BUCKET}/`);
    await gcloud('cp', join(work, 'small.txt'), `gs://${BUCKET}/run1/small.txt`);
    await gcloud('cp', join(work, 'big.bin'), `gs://${BUCKET}/run1/sub/big.bin`);

    // What gcloud wrote is what the client library reads.
    const storage = new Storage({ projectId: 'sortingview-test', apiEndpoint: emulator.url });
    expect((await storage.bucket(BUCKET).file('run1/small.txt').download())[0].equals(small)).toBe(true);
    expect((await storage.bucket(BUCKET).file('run1/sub/big.bin').download())[0].equals(big)).toBe(true);

    expect((await gcloud('ls', `gs://${BUCKET}/run1/`)).toString().trim().split('\n')).toEqual([`gs://${BUCKET}/run1/small.txt`, `gs://${BUCKET}/run1/sub/`]);
    expect((await gcloud('ls', '-r', `gs://${BUCKET}/run1/**`)).toString()).toContain(`gs://${BUCKET}/run1/sub/big.bin`);
    expect((await gcloud('cat', `gs://${BUCKET}/run1/small.txt`)).equals(small)).toBe(true);
    await gcloud('cp', `gs://${BUCKET}/run1/sub/big.bin`, join(work, 'back.bin'));
    expect(readFileSync(join(work, 'back.bin')).equals(big)).toBe(true);

    await gcloud('rm', '-r', `gs://${BUCKET}/run1`);
    const [left] = await storage.bucket(BUCKET).getFiles({ prefix: 'run1/' });
    expect(left.map((f) => f.name)).toEqual([]);
  }, 4 * TIMEOUT_MS);
});
