import { CurationError } from '../core/curation/errors';
import { FeedError } from '../core/feeds';
import { DataAccessError } from './data/errors';

/**
 * The relay CLI's one error edge. A CliError is an expected failure whose message says what to do;
 * the CLI prints it without a stack and exits 1. `asCliError` turns the failures the commands expect
 * from below (feeds, curation, data access, Cloud Storage) into one; anything else is a bug and keeps
 * its stack.
 */
export class CliError extends Error {
  override name = 'CliError';
}

/** Expected failures become a CliError with a message that says what to do; the CLI prints it without a stack. */
export function asCliError(err: unknown, env: NodeJS.ProcessEnv): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof FeedError || err instanceof DataAccessError || err instanceof CurationError) return new CliError(err.message, { cause: err });
  const e = err as { code?: unknown; message?: string; cause?: { code?: string } };
  if (e?.cause?.code === 'ECONNREFUSED' || e?.code === 'ECONNREFUSED') {
    return new CliError(`Cannot reach Cloud Storage (connection refused)${env.STORAGE_EMULATOR_HOST ? ` at ${env.STORAGE_EMULATOR_HOST}: is the local stack running?` : ''}`, { cause: err });
  }
  if (e?.code === 403 || e?.code === 401) return new CliError(`Cloud Storage refused access: ${e.message}. Do these credentials have object access to the deployment's buckets?`, { cause: err });
  if (e?.code === 404 && /bucket/i.test(e.message ?? '')) return new CliError(`${e.message}: check the bucket in --backend and SORTINGVIEW_PRIVATE_BUCKET`, { cause: err });
  return err;
}
