import { statSync } from 'node:fs';
import { CliError } from './commands/task';

/**
 * A service-account key readable by others is a leaked key: refuse to start, and say how to fix it.
 * Against the emulators (STORAGE_EMULATOR_HOST set) no key is needed.
 */
export function checkCredentials(env: NodeJS.ProcessEnv): void {
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!keyFile) {
    if (env.STORAGE_EMULATOR_HOST) return;
    throw new CliError('GOOGLE_APPLICATION_CREDENTIALS is not set: point it at the relay service account\'s key file (see docs/deploy.md)');
  }
  let mode: number;
  try {
    mode = statSync(keyFile).mode;
  } catch {
    throw new CliError(`GOOGLE_APPLICATION_CREDENTIALS=${keyFile}: no such file`);
  }
  if (mode & 0o077) {
    throw new CliError(`The key file ${keyFile} is readable by group or others (mode ${(mode & 0o777).toString(8)}): anyone on this machine could use it. Fix: chmod 600 ${keyFile}`);
  }
}
