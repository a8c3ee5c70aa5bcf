import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BlobStore } from '../../core/ports/blobStore';
import { parseBackendUri } from '../../core/protocol';
import { checkCredentials } from '../credentials';
import { CliError } from '../cliErrors';

/**
 * What every `sortingview workspace …` command needs from its options and environment: which
 * deployment (the Backend URI names the public bucket and the backend label), the buckets as
 * BlobStores, who is acting, and where the kachery store is.
 */

export interface WorkspaceCommonOptions {
  backend?: string;
  kacheryStorageDir?: string;
}

export interface WorkspaceTarget {
  backendUri: string;
  bucket: string;
  privateBucket: string;
  /** The backend label: objects are registered under `objects/<label>/`. */
  label: string;
}

/** `--backend`, else $SORTINGVIEW_BACKEND (local.env sets it), else a message that says how to give it. */
export function backendUriOf(opts: { backend?: string }, env: NodeJS.ProcessEnv): string {
  const backendUri = opts.backend ?? env.SORTINGVIEW_BACKEND;
  if (!backendUri) {
    throw new CliError('Which deployment? Pass --backend gs://<bucket>/sortingview-backends/<label>.json (printed by sortingview-start-backend) or set SORTINGVIEW_BACKEND');
  }
  return backendUri;
}

export function resolveTarget(opts: WorkspaceCommonOptions, env: NodeJS.ProcessEnv): WorkspaceTarget {
  const backendUri = backendUriOf(opts, env);
  let parsed: { bucket: string; label: string };
  try {
    parsed = parseBackendUri(backendUri);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (env.GOOGLE_BUCKET_NAME && env.GOOGLE_BUCKET_NAME !== parsed.bucket) {
    throw new CliError(`GOOGLE_BUCKET_NAME is ${env.GOOGLE_BUCKET_NAME} but the Backend URI names bucket ${parsed.bucket}: workspaces live in the backend's bucket. Unset GOOGLE_BUCKET_NAME or fix --backend.`);
  }
  return {
    backendUri: backendUri.trim(),
    bucket: parsed.bucket,
    privateBucket: env.SORTINGVIEW_PRIVATE_BUCKET ?? `${parsed.bucket}-private`,
    label: parsed.label,
  };
}

/**
 * A credentials file readable by others is refused (relay/credentials.ts); a person's own login is
 * right here (the CLI acts for a lab member). Without the variable, application default credentials.
 */
export function checkWorkspaceCredentials(env: NodeJS.ProcessEnv): void {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) checkCredentials(env, 'cli');
}

/**
 * Who appends and owns workspaces created here: `$SORTINGVIEW_USER`, else the `client_email` of the
 * service-account key in GOOGLE_APPLICATION_CREDENTIALS, else "cli".
 */
export function cliUser(env: NodeJS.ProcessEnv, readText: (path: string) => string = (p) => readFileSync(p, 'utf8')): string {
  const explicit = env.SORTINGVIEW_USER?.trim();
  if (explicit) return explicit;
  if (env.GOOGLE_APPLICATION_CREDENTIALS) {
    try {
      const key = JSON.parse(readText(env.GOOGLE_APPLICATION_CREDENTIALS)) as { client_email?: unknown };
      if (typeof key.client_email === 'string' && key.client_email) return key.client_email;
    } catch {
      // Not readable or not a service-account key (e.g. user credentials): fall through.
    }
  }
  return 'cli';
}

export function kacheryStorageDir(opts: WorkspaceCommonOptions, env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, opts.kacheryStorageDir ?? env.KACHERY_STORAGE_DIR ?? join(homedir(), 'kachery-storage'));
}

/** The two buckets as BlobStores (the CLI passes Cloud Storage adapters; tests pass memory stores). */
export type OpenStores = (target: WorkspaceTarget) => { public: BlobStore; private: BlobStore };

/** `<appUrl>/?backend=…&workspace=…`, the link that opens a workspace in the web app. */
export function viewUrl(appUrl: string, backendUri: string, workspaceUri: string): string {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    throw new CliError(`The app URL ${JSON.stringify(appUrl)} is not a URL (expected e.g. https://sortingview.example.org)`);
  }
  url.searchParams.set('backend', backendUri);
  url.searchParams.set('workspace', workspaceUri);
  return url.toString();
}
