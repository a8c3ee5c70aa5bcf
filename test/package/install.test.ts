// The relay and CLI as a lab installs them: `npm pack`, `npm install -g <tarball>` into an empty
// prefix, then the installed `sortingview` and `sortingview-start-backend`, run from outside the
// repository with nothing of it on PATH, against the local stack: the installed relay serves an NWB
// recording (h5wasm at run time) and the installed CLI creates a workspace and runs tasks.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../emulator/stack';
import { makeDemoData, type DemoData } from '../../scripts/make-demo-data';
import { startTestStack, waitFor } from '../integration/stackHarness';
import { runCommand as run } from '../runCommand';

const root = process.cwd();
// Measured 70 MB (issue 16's goal was 60): 28 MB of it are @opentelemetry and web-streams-polyfill,
// runtime dependencies of Google's Pub/Sub client. The bound catches a web or build package
// (firebase alone is 170 MB) creeping back into `dependencies`.
const MAX_INSTALLED_MB = 75;

/** Bytes of every file under `dir` (symlinks not followed), as `du --apparent-size` counts them. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(p);
    else total += lstatSync(p).size;
  }
  return total;
}

/** The environment of a machine with Node and npm but none of this repository (no node_modules/.bin, no npm_* of `npm test`). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|NODE_OPTIONS$|VITEST|GOOGLE_|STORAGE_EMULATOR_HOST$|PUBSUB_EMULATOR_HOST$|SORTINGVIEW_)/.test(k)) env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
  return { ...env, ...extra };
}

const field = (out: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(out)?.[1]?.trim();

describe('npm pack + npm install -g: the relay and CLI as a package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sv-package-'));
  const prefix = join(dir, 'prefix');
  const work = join(dir, 'elsewhere');
  let files: string[] = [];
  let installMs = 0;
  let env: NodeJS.ProcessEnv;
  let stack: LocalStack | undefined;
  let relay: ReturnType<typeof spawn> | undefined;
  let demo: DemoData;

  beforeAll(async () => {
    // `npm test` has just built dist/; run alone, build only what is missing (rebuilding would empty
    // dist/ under other suites).
    if (!existsSync(join(root, 'dist/cli/sortingview.js'))) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
    // --ignore-scripts: npm pack's `prepare` would rebuild dist/ (see above).
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, env: cleanEnv() });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path);
    const t0 = Date.now();
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, info!.filename)],
      { cwd: dir, env: cleanEnv(), timeoutMs: 150_000 });
    installMs = Date.now() - t0;
    expect(installed.code, installed.stderr).toBe(0);
    env = cleanEnv({ PATH: `${join(prefix, 'bin')}${delimiter}${dirname(process.execPath)}${delimiter}${cleanEnv().PATH}`, HOME: dir });
    mkdirSync(work);
  }, 170_000);

  afterAll(async () => {
    relay?.kill('SIGTERM');
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships bin/ and the built CLI, and none of the sources, tests, bench or terraform', () => {
    expect(files).toEqual(expect.arrayContaining(['bin/sortingview.js', 'bin/sortingview-start-backend.js', 'dist/cli/sortingview.js', 'package.json']));
    expect(files.filter((f) => !/^(bin\/|dist\/cli\/sortingview\.js$|package\.json$|README\.md$)/.test(f))).toEqual([]);
  });

  it(`installs only what the relay and CLI need (≤ ${MAX_INSTALLED_MB} MB)`, () => {
    const modules = join(prefix, 'lib', 'node_modules', 'sortingview', 'node_modules');
    for (const webOrBuildOnly of ['firebase', 'react', 'react-dom', 'esbuild', 'firebase-tools', '@google-cloud/functions-framework', 'typescript', 'vitest']) {
      expect(existsSync(join(modules, webOrBuildOnly)), webOrBuildOnly).toBe(false);
    }
    const mb = treeBytes(prefix) / 1e6;
    console.log(`package install: ${mb.toFixed(1)} MB in ${(installMs / 1000).toFixed(1)} s (npm install -g --prefer-offline)`);
    expect(mb).toBeLessThanOrEqual(MAX_INSTALLED_MB);
  });

  it('runs sortingview and sortingview-start-backend from any directory', async () => {
    const help = await run('sortingview', ['--help'], { cwd: work, env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/start-backend/);
    expect(help.stdout).toMatch(/workspace/);
    const relayHelp = await run('sortingview-start-backend', ['--help'], { cwd: work, env });
    expect(relayHelp.code, relayHelp.stderr).toBe(0);
    expect(relayHelp.stdout).toMatch(/--data-dir/);
    const ws = await run('sortingview', ['workspace', '--help'], { cwd: work, env });
    expect(ws.code, ws.stderr).toBe(0);
  });

  it('the installed relay and CLI work against the local stack: a workspace, a recording, tasks', async () => {
    demo = await makeDemoData({ outDir: join(dir, 'demo'), durationSec: 1, numUnits: 3, seed: 1 });
    stack = await startTestStack({ pubsub: 'ours', auth: false });
    const s = stack;
    relay = spawn('sortingview-start-backend', ['--label', s.label, '--api-url', s.apiUrl, '--data-dir', demo.outDir, '--kachery-storage-dir', demo.kacheryStorageDir], {
      cwd: work, env: { ...env, ...s.env, GOOGLE_APPLICATION_CREDENTIALS: s.principals.relay.credentials }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let relayOut = '';
    relay.stdout!.on('data', (d: Buffer) => { relayOut += d.toString(); });
    relay.stderr!.on('data', (d: Buffer) => { relayOut += d.toString(); });
    await waitFor(`the installed relay (output so far: ${relayOut})`, async () => relayOut.includes('Backend URI:'), 30_000);

    // The CLI as a lab member (the stack's env carries the CLI's own credentials).
    const cliEnv = { ...env, ...s.env, SORTINGVIEW_BACKEND: s.backendUri, SORTINGVIEW_USER: 'tester@lab.example.org', KACHERY_STORAGE_DIR: demo.kacheryStorageDir };
    const cli = async (...args: string[]) => {
      const r = await run('sortingview', args, { cwd: work, env: cliEnv });
      expect(r.code, `sortingview ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const info = JSON.parse(await cli('task', 'sortingview.get_backend_info.1', '--backend', s.backendUri, '--kwargs', '{}')) as { taskFunctionIds: string[] };
    expect(info.taskFunctionIds).toContain('recording_info.3');

    const workspaceUri = field(await cli('workspace', 'create', '--label', 'package test'), 'Workspace URI')!;
    expect(workspaceUri).toMatch(/^workspace:\/\//);
    const added = await cli('workspace', 'add-recording', workspaceUri, demo.nwb.path, '--label', 'nwb');
    const recordingUri = field(added, 'Recording URI')!;
    expect(await cli('workspace', 'show', workspaceUri)).toContain('nwb');

    // Needs the relay: it reads the NWB file (h5wasm) and uploads the recording's info chunk.
    const rec = JSON.parse(await cli('task', 'recording_info.3', '--backend', s.backendUri, '--kwargs', JSON.stringify({ recording_uri: recordingUri }), '--timeout', '60')) as { num_frames: number; channel_ids: unknown[] };
    expect(rec.num_frames).toBe(demo.nwb.numFrames);
    expect(rec.channel_ids).toHaveLength(16);
  }, 120_000);
});
