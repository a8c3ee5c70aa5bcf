// Every gcloud command scripts/deploy issues (and the key command it prints) must get through the
// real gcloud's argument parser. Checked offline, twice per command:
//  1. with an extra sentinel flag appended: gcloud exits 2 listing unrecognized arguments before it
//     does anything else, so "only the sentinel is unrecognized" = every other flag exists;
//  2. as it is, with a fresh config and no account: gcloud then gets past parsing and value
//     validation (durations, required arguments, …) and stops asking for credentials (exit 1),
//     still before any network call. A command that ends any other way is skipped with the reason.
// Skipped where gcloud is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './bundles';
import { fakeProject, printedCommands } from './helpers';

const SENTINEL = '--sortingview-parse-check';
const NO_ACCOUNT = /You do not currently have an active account selected/;
const TIMEOUT_MS = 20_000;

function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDSDK_CONFIG: mkdtempSync(join(tmpdir(), 'sv-gcloud-config-')),
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
  };
  for (const k of Object.keys(env)) if (k.startsWith('CLOUDSDK_CORE_ACCOUNT') || k === 'CLOUDSDK_CORE_PROJECT' || k === 'GOOGLE_APPLICATION_CREDENTIALS') delete env[k];
  return env;
}

interface Outcome { code: number | null; stderr: string; timedOut: boolean }

function gcloud(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('gcloud', args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr, timedOut }); });
  });
}

/** The flags gcloud called unrecognized, from "unrecognized arguments: --a --b" (one line or one per line). */
function unrecognized(stderr: string): string[] {
  const m = /unrecognized arguments:([\s\S]*?)(?:\n\s*\n|To search the help text|$)/.exec(stderr);
  return m ? m[1].split(/\s+/).filter((w) => w.startsWith('-')) : [];
}

const hasGcloud = spawnSync('gcloud', ['--version'], { env: offlineEnv(), encoding: 'utf8', timeout: 30_000 }).status === 0;

/**
 * The commands, from a full first run (relay label, extra origin) against the stand-in gcloud, plus
 * the key command the summary prints; one per subcommand and set of flag names.
 */
async function deployCommands(): Promise<string[][]> {
  ensureBuilt();
  const project = fakeProject();
  const run = await project.run(['--project=my-lab-123', '--region=europe-west1', '--app-origins=https://lab.example.org', '--relay-label=mylab', '--skip-build']);
  if (run.code !== 0) throw new Error(`scripts/deploy failed against the stand-in gcloud:\n${run.stderr}`);
  const keyLine = run.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('gcloud iam service-accounts keys create'));
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const argv of [...run.calls, ...printedCommands(keyLine.map((l) => `+ ${l}`).join('\n'))]) {
    const shape = [...argv.filter((a) => !a.startsWith('--')).slice(0, 3), ...argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]).sort()].join(' ');
    if (!seen.has(shape)) out.push(argv);
    seen.add(shape);
  }
  return out;
}

// Computed at collection time (top-level await) so that each command is a test of its own.
const commands = hasGcloud ? await deployCommands() : [];

describe.skipIf(!hasGcloud)('the real gcloud accepts every command of scripts/deploy (offline)', () => {
  const env = offlineEnv();
  const cwd = mkdtempSync(join(tmpdir(), 'sv-gcloud-cwd-'));
  const results = new Map<string, Promise<{ withSentinel: Outcome; plain: Outcome }>>();
  const key = (argv: string[]) => argv.join(' ');

  beforeAll(() => {
    // Two gcloud processes at a time (each is a second of Python start-up).
    const queue = [...commands];
    const done = new Map<string, (r: { withSentinel: Outcome; plain: Outcome }) => void>();
    for (const argv of commands) results.set(key(argv), new Promise((resolve) => done.set(key(argv), resolve)));
    for (let w = 0; w < 2; w++) {
      void (async () => {
        for (let argv = queue.shift(); argv; argv = queue.shift()) {
          const withSentinel = await gcloud([...argv, SENTINEL], env, cwd);
          const plain = await gcloud(argv, env, cwd);
          done.get(key(argv))!({ withSentinel, plain });
        }
      })();
    }
  });

  it('rejects an unknown flag with exit 2 and "unrecognized arguments", listing every unknown flag (the method works)', async () => {
    const r = await gcloud(['pubsub', 'topics', 'create', 'sortingview-tasks', '--project=my-lab-123', '--bogus-flag', SENTINEL], env, cwd);
    expect(r.code).toBe(2);
    expect(unrecognized(r.stderr).sort()).toEqual(['--bogus-flag', SENTINEL].sort());
    const plain = await gcloud(['pubsub', 'topics', 'create', 'sortingview-tasks', '--project=my-lab-123'], env, cwd);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(NO_ACCOUNT);
    const badValue = await gcloud(['functions', 'deploy', 'worker', '--gen2', '--region=r', '--timeout=abc', '--project=my-lab-123'], env, cwd);
    expect(badValue.code).toBe(2);
  }, 60_000);

  it('checks the whole set of commands', () => {
    expect(commands.length).toBeGreaterThanOrEqual(25);
    expect(commands.some((c) => c[0] === 'functions' && c[1] === 'deploy' && c[2] === 'worker')).toBe(true);
    expect(commands.some((c) => key(c).startsWith('iam service-accounts keys create'))).toBe(true);
  });

  it.for(commands.map((argv): [string, string[]] => [argv.slice(0, 4).join(' ').split(tmpdir()).join('$TMPDIR'), argv]))('gcloud %s …', { timeout: 240_000 }, async ([, argv], ctx) => {
    const { withSentinel, plain } = await results.get(key(argv))!;
    if (withSentinel.timedOut) return ctx.skip(`gcloud ${key(argv)}: no answer within ${TIMEOUT_MS} ms`);
    expect(withSentinel.code, `gcloud ${key(argv)} ${SENTINEL}\n${withSentinel.stderr}`).toBe(2);
    expect(unrecognized(withSentinel.stderr), `gcloud ${key(argv)}: flags gcloud does not know`).toEqual([SENTINEL]);
    expect(plain.code, `gcloud ${key(argv)}: a parse error\n${plain.stderr}`).not.toBe(2);
    if (plain.timedOut || !NO_ACCOUNT.test(plain.stderr)) {
      return ctx.skip(`gcloud ${key(argv)}: flags known, but it did not stop at the credentials check (${plain.timedOut ? 'timed out' : plain.stderr.trim().split('\n')[0]})`);
    }
    expect(plain.code).toBe(1);
  });
});
