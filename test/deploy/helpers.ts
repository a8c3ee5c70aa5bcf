// Runs scripts/deploy against the stand-in gcloud and firebase of fake-gcloud/ (first on PATH) and
// reads back what each was asked, one argv per call.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeIdentityToolkit, type FakeIdentityToolkit, type IdentityState } from './fakeIdentityToolkit';

export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const fakeBin = join(root, 'test', 'deploy', 'fake-gcloud');
const deployScript = join(root, 'scripts', 'deploy');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The gcloud calls of this run, in order. */
  calls: string[][];
  /** The firebase (firebase-tools) calls of this run, in order. */
  firebaseCalls: string[][];
}

/** Variables that would configure the script behind the test's back. */
const CONFIG_ENV = ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT', 'GOOGLE_BUCKET_NAME', 'SORTINGVIEW_PRIVATE_BUCKET', 'SORTINGVIEW_APP_ORIGINS',
  'SORTINGVIEW_REGION', 'SORTINGVIEW_FUNCTIONS_RUNTIME', 'LABEL', 'FIREBASE_API_KEY', 'FIREBASE_AUTH_DOMAIN', 'SORTINGVIEW_HOSTING_SITE',
  'SORTINGVIEW_OAUTH_CLIENT_ID', 'SORTINGVIEW_OAUTH_CLIENT_SECRET'];

/**
 * A fake project: its own state and call log, empty until the first run creates things. Its
 * Identity Toolkit (sign-in settings) is a loopback server of this process, for project `project`.
 */
export function fakeProject(initialState?: object, identity: { project?: string; initial?: Partial<IdentityState> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sv-deploy-'));
  const log = join(dir, 'gcloud.log');
  const firebaseLog = join(dir, 'firebase.log');
  const state = join(dir, 'state.json');
  const workDir = join(dir, 'work');
  if (initialState) writeFileSync(state, JSON.stringify(initialState));
  let seen = 0;
  let seenFirebase = 0;
  let idt: FakeIdentityToolkit | undefined;

  const readLog = (path: string): string[][] => existsSync(path)
    ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[])
    : [];
  const allCalls = () => readLog(log);

  /** Runs the script (asynchronously: a blocked test worker would miss vitest's heartbeats). */
  async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    idt ??= await startFakeIdentityToolkit(identity.project ?? 'my-lab-123', identity.initial);
    const env: NodeJS.ProcessEnv = {
      ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, FAKE_GCLOUD_LOG: log, FAKE_FIREBASE_LOG: firebaseLog, FAKE_GCLOUD_STATE: state,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_IDENTITYTOOLKIT: idt.url, ...extraEnv,
    };
    for (const k of CONFIG_ENV) if (!(k in extraEnv)) delete env[k];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(deployScript, [...args, `--work-dir=${workDir}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
      child.on('error', reject);
      child.on('close', (c) => { clearTimeout(timer); resolve({ code: c ?? -1, stdout: out, stderr: err }); });
    });
    const calls = allCalls();
    const mine = calls.slice(seen);
    seen = calls.length;
    const fbCalls = readLog(firebaseLog);
    const firebaseCalls = fbCalls.slice(seenFirebase);
    seenFirebase = fbCalls.length;
    return { code, stdout, stderr, calls: mine, firebaseCalls };
  }

  return {
    dir, workDir, run, allCalls,
    /** The sign-in settings and every request to them (after the first run). */
    identity: () => idt!.state,
    identityUrl: () => idt!.url,
    state: () => JSON.parse(readFileSync(state, 'utf8')) as FakeState,
  };
}

export interface FakeState {
  services: string[];
  buckets: Record<string, { uniform: boolean; pap: string; cors?: unknown; lifecycle?: unknown; policy: Policy }>;
  topics: Record<string, { policy: Policy }>;
  subscriptions: Record<string, { topic: string; filter: string; ackDeadlineSeconds: number; expiration: string; policy: Policy }>;
  serviceAccounts: Record<string, { displayName: string }>;
  functions: Record<string, { flags: Record<string, string | true>; deploys: number }>;
  runServices: Record<string, { policy: Policy }>;
  projectPolicy: Policy;
  hostingSites: Record<string, { project: string }>;
  hostingReleases: {
    site: string; project: string; message: string | null; files: string[];
    headers: { source: string; headers: { key: string; value: string }[] }[]; configJson: Record<string, unknown> | null;
  }[];
}
export interface Policy {
  bindings: { role: string; members: string[]; condition?: { expression: string; title: string } }[];
}

/** Undoes the script's shell quoting of `+ gcloud …` lines (single quotes, '\'' inside). */
export function shellSplit(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\' && line[i + 1] === "'") {
      cur += "'";
      i++;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** The gcloud (or firebase) commands a run printed (`+ gcloud …` lines), as argv. */
export function printedCommands(stdout: string, program: 'gcloud' | 'firebase' = 'gcloud'): string[][] {
  const prefix = `+ ${program} `;
  return stdout.split('\n').filter((l) => l.startsWith(prefix)).map((l) => shellSplit(l.slice(prefix.length)));
}

/** Calls that create or change something (as opposed to describe / list / get-iam-policy). */
export function isChange(argv: string[]): boolean {
  return !argv.some((w) => ['describe', 'list', 'get-iam-policy', 'print-access-token'].includes(w));
}
