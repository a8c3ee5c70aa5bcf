import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startChild, type ChildService } from './childProcess';
import { freePort, waitForHttp } from './ports';

/** Runs a built function folder under functions-framework, as Cloud Functions gen2 does. */
export async function startFunction(opts: {
  name: string;
  source: string;
  target: string;
  signatureType: 'http' | 'cloudevent';
  env: NodeJS.ProcessEnv;
  logDir: string;
  port?: number;
  readyPath: string;
  /** The Node.js to run it on (default: this one). */
  nodeBinary?: string;
}): Promise<{ url: string; service: ChildService }> {
  const port = opts.port ?? (await freePort());
  // The package exports only its index; main.js (the `functions-framework` bin) sits beside it.
  const main = join(dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')), 'main.js');
  const service = startChild(opts.name, opts.nodeBinary ?? process.execPath, [main, `--target=${opts.target}`, `--source=${opts.source}`, `--signature-type=${opts.signatureType}`, `--port=${port}`], {
    env: { ...opts.env, PORT: String(port) },
    logDir: opts.logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${opts.readyPath}`, 30_000, service.alive);
  } catch (err) {
    await service.stop();
    throw new Error(`Function ${opts.name} did not start (log: ${service.logFile}): ${(err as Error).message}`, { cause: err });
  }
  return { url, service };
}
