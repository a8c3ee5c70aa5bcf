// Google's own Pub/Sub emulator (the Java one in the Google Cloud CLI's platform/pubsub-emulator),
// found on this machine and run on loopback. No network: it never needs more than the JAR.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ChildService } from '../childProcess.js';

const RELATIVE_BIN = path.join('platform', 'pubsub-emulator', 'bin', 'cloud-pubsub-emulator');
const COMMON_SDK_ROOTS = ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'];
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface GooglePubSubEmulator {
  /** "127.0.0.1:PORT", the value for PUBSUB_EMULATOR_HOST. */
  host: string;
  /** Process group id: the watchdog shell, with the JVM in the same group. */
  pid: number;
  /** How long it took from spawn to "Server started". */
  startupMs: number;
  /** The same process as a stack child service (its log file is '' without `logDir`). */
  child: ChildService;
  stop(): Promise<void>;
}

export interface GooglePubSubEmulatorOptions {
  /** 0 or absent: a free port is chosen. */
  port?: number;
  /** Append the emulator's output to `<logDir>/pubsub-emulator.log`. */
  logDir?: string;
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

function hasJava(env: NodeJS.ProcessEnv): boolean {
  if (env.JAVA_HOME && isExecutable(path.join(env.JAVA_HOME, 'bin', 'java'))) return true;
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, 'java')));
}

function gcloudSdkRoot(): string | null {
  try {
    const out = execFileSync('gcloud', ['info', '--format=value(installation.sdk_root)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
    });
    return out.trim() || null;
  } catch {
    return null; // no gcloud on PATH, or it failed: fall back to the common roots only
  }
}

let found: string | null | undefined;

/**
 * Path of Google's emulator launcher, or null when the machine lacks it or lacks Java to run it.
 * Looks in the common SDK roots first (cheap), then asks `gcloud info` (about a second).
 */
export function findGooglePubSubEmulator(env: NodeJS.ProcessEnv = process.env): string | null {
  if (found !== undefined) return found;
  const roots = [env.CLOUDSDK_ROOT_DIR, ...COMMON_SDK_ROOTS].filter((r): r is string => !!r);
  let bin = roots.map((r) => path.join(r, RELATIVE_BIN)).find(isExecutable);
  if (!bin) {
    const root = gcloudSdkRoot();
    if (root && isExecutable(path.join(root, RELATIVE_BIN))) bin = path.join(root, RELATIVE_BIN);
  }
  found = bin && hasJava(env) ? bin : null;
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// Every group we started, so that an exiting test process takes its JVMs with it.
const live = new Set<number>();
process.once('exit', () => {
  for (const pgid of live) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is already gone
  }
}

const groupAlive = (pgid: number) => killGroup(pgid, 0 as unknown as NodeJS.Signals);

/**
 * The launcher runs under a watchdog shell in a process group of its own: the shell waits on its
 * stdin, which is a pipe from us, so if this process dies (even by SIGKILL) the pipe closes and
 * the shell kills the JVM. stop() signals the whole group.
 */
const WATCHDOG = '"$0" "--host=$1" "--port=$2" & cat >/dev/null; kill -TERM $! 2>/dev/null; wait';

export async function startGooglePubSubEmulator(opts: GooglePubSubEmulatorOptions = {}): Promise<GooglePubSubEmulator> {
  const bin = findGooglePubSubEmulator();
  if (!bin) throw new Error('Google Pub/Sub emulator not found: install the Google Cloud CLI component pubsub-emulator and Java 17+');
  const port = opts.port || (await freePort());
  const started = Date.now();
  const child = spawn('/bin/sh', ['-c', WATCHDOG, bin, '127.0.0.1', String(port)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pgid = child.pid!;
  live.add(pgid);
  child.unref();
  let output = '';
  let logFile = '';
  if (opts.logDir) {
    fs.mkdirSync(opts.logDir, { recursive: true });
    logFile = path.join(opts.logDir, 'pubsub-emulator.log');
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());
  }

  const stop = async () => {
    if (!live.has(pgid)) return;
    killGroup(pgid, 'SIGTERM');
    const until = Date.now() + STOP_GRACE_MS;
    while (groupAlive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
    live.delete(pgid);
    child.stdin?.destroy();
  };

  let onData: (chunk: Buffer) => void = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server started')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code}`));
      });
    });
  } catch (cause) {
    await stop();
    throw new Error(`Google Pub/Sub emulator (${bin}) failed to start on port ${port}: ${(cause as Error).message}\n${output}`, { cause });
  }
  // Keep draining its logs so a chatty JVM never blocks on a full pipe, without holding our loop open.
  for (const s of [child.stdout!, child.stderr!]) {
    s.off('data', onData);
    s.resume();
    (s as unknown as { unref?: () => void }).unref?.();
  }
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const service: ChildService = { name: 'pubsub-emulator', pid: pgid, logFile, alive: () => groupAlive(pgid), stop };
  return { host: `127.0.0.1:${port}`, pid: pgid, startupMs: Date.now() - started, child: service, stop };
}
