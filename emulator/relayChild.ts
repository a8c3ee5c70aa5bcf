import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type ChildService } from './childProcess';

/** The repository root, from the source file (tests) or from the bundle in dist/emulator (npm start). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the sortingview repository root');
    dir = up;
  }
  return dir;
}

/**
 * The relay as a lab runs it: `sortingview-start-backend` in its own process, with the stack's
 * environment. Ready when it has printed its Backend URI.
 */
export async function startRelayChild(opts: {
  label: string;
  apiUrl: string;
  dataDirs: string[];
  kacheryStorageDir: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  name?: string;
  /** The Node.js to run it on (default: this one). */
  nodeBinary?: string;
}): Promise<ChildService> {
  const args = [join(repoRoot(), 'bin/sortingview-start-backend.js'), '--label', opts.label, '--api-url', opts.apiUrl, '--kachery-storage-dir', opts.kacheryStorageDir, ...opts.dataDirs.flatMap((d) => ['--data-dir', d])];
  const child = startChild(opts.name ?? 'relay', opts.nodeBinary ?? process.execPath, args, { env: opts.env, logDir: opts.logDir });
  const deadline = Date.now() + 30_000;
  while (!readFileSync(child.logFile, 'utf8').includes('Backend URI:')) {
    if (!child.alive() || Date.now() > deadline) {
      await child.stop();
      throw new Error(`The relay did not start (log: ${child.logFile}):\n${readFileSync(child.logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}
