import type { Storage } from '@google-cloud/storage';
import { ApiUnreachableError, busyText } from '../../core/client/httpPolicy';
import { runTask, TaskFailed } from '../../core/client/runTask';
import { CliError } from '../cliErrors';
import { backendConfigPath, backendConfigSchema, kwargsSchema, parseBackendUri, resultToPlainJson, type BackendConfig } from '../../core/protocol';

/** Reads the config behind a Backend URI with the caller's credentials (emulator or service account). */
export async function readBackendConfig(storage: Storage, uri: string): Promise<BackendConfig> {
  const { bucket, label } = (() => {
    try {
      return parseBackendUri(uri);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  })();
  let bytes: Buffer;
  try {
    [bytes] = await storage.bucket(bucket).file(backendConfigPath(label)).download();
  } catch (err) {
    if ((err as { code?: number }).code === 404) throw new CliError(`No backend config at ${uri}: is the relay for "${label}" running?`);
    throw new CliError(`Could not read ${uri}: ${(err as Error).message}`);
  }
  const parsed = backendConfigSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!parsed.success) throw new CliError(`The backend config at ${uri} is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export interface TaskCommandOptions {
  backend: string;
  kwargs: string;
  raw?: boolean;
  timeout?: string;
}

/** `sortingview task <functionId>`: run one task through the API; result JSON on stdout, progress on stderr. */
export async function taskCommand(functionId: string, opts: TaskCommandOptions, io: {
  storage: Storage;
  stdout: (s: string) => void;
  progress: (status: string, elapsedMs: number) => void;
}): Promise<void> {
  let kwargs;
  try {
    kwargs = kwargsSchema.parse(JSON.parse(opts.kwargs));
  } catch {
    throw new CliError(`--kwargs must be a JSON object, e.g. --kwargs '{"seconds": 1}' (got ${opts.kwargs})`);
  }
  const backend = await readBackendConfig(io.storage, opts.backend);
  const started = performance.now();
  try {
    const { result } = await runTask({
      apiUrl: backend.apiUrl, backend: backend.label, functionId, kwargs, onStatus: io.progress,
      onWait: ({ retryInSec }) => io.progress(busyText(retryInSec), performance.now() - started),
      timeoutMs: opts.timeout ? Number(opts.timeout) * 1000 : undefined,
    }, { fetch, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now() });
    io.stdout(JSON.stringify(opts.raw ? result : resultToPlainJson(result), null, 2));
  } catch (err) {
    if (err instanceof TaskFailed) throw new CliError(`Task ${functionId} failed: ${err.message}`);
    if (err instanceof ApiUnreachableError) throw new CliError(err.message, { cause: err });
    throw err;
  }
}
