import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startChild, type ChildService } from './childProcess';
import { freePort, waitForHttp } from './ports';

/**
 * How long a starting Auth emulator may take (under the suites' 120 s start-up hooks, so that this
 * clearer error is the one reported). firebase-tools loads ~100 MB of JavaScript; on two
 * loaded cores (a full `npm test`) it once took over 60 s. A dead one fails at once (service.alive).
 */
const AUTH_EMULATOR_START_MS = 100_000;

/**
 * The Firebase Auth emulator from firebase-tools (pure Node, works offline), with the UI disabled
 * (it would be downloaded). Its hub and logging ports are chosen too, so several stacks can run at once.
 */
export async function startAuthEmulator(opts: { stateDir: string; projectId: string; port?: number; logDir: string }): Promise<{ host: string; service: ChildService }> {
  const port = opts.port ?? (await freePort());
  const dir = join(opts.stateDir, 'firebase');
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'firebase.json');
  writeFileSync(configPath, JSON.stringify({
    emulators: {
      auth: { host: '127.0.0.1', port },
      hub: { host: '127.0.0.1', port: await freePort() },
      logging: { host: '127.0.0.1', port: await freePort() },
      ui: { enabled: false },
      singleProjectMode: true,
    },
  }, null, 2));
  const firebaseBin = join(dirname(createRequire(import.meta.url).resolve('firebase-tools/package.json')), 'lib/bin/firebase.js');
  const service = startChild('firebase-auth', process.execPath, [firebaseBin, 'emulators:start', '--only', 'auth', '--project', opts.projectId, '--config', configPath], {
    env: { ...process.env, FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true', NO_UPDATE_NOTIFIER: '1', CI: 'true' },
    cwd: dir,
    logDir: opts.logDir,
  });
  const host = `127.0.0.1:${port}`;
  try {
    await waitForHttp(`http://${host}/`, AUTH_EMULATOR_START_MS, service.alive);
  } catch (err) {
    await service.stop();
    throw new Error(`The Firebase Auth emulator did not start (log: ${service.logFile}): ${(err as Error).message}`, { cause: err });
  }
  return { host, service };
}
