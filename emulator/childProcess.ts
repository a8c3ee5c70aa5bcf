import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** A service the stack started as its own process group, so stopping it also stops its children (JVMs). */
export interface ChildService {
  name: string;
  pid: number;
  logFile: string;
  alive(): boolean;
  stop(): Promise<void>;
}

export function startChild(name: string, command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; logDir: string }): ChildService {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, `${name}.log`);
  appendFileSync(logFile, ''); // exists at once: callers poll it for readiness lines
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(command, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  if (child.pid === undefined) throw new Error(`Could not start ${name} (${command})`);
  const pid = child.pid;
  return {
    name,
    pid,
    logFile,
    alive: () => !exited,
    async stop() {
      if (!exited) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
        await exitedPromise;
        clearTimeout(timer);
        killGroup(pid, 'SIGKILL'); // stragglers of the group, if any
      }
      log.end();
    },
  };
}

/** Kills a process group; ignores "no such process". */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
