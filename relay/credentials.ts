import { readFileSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cliErrors';

/**
 * Which Google credentials the relay and the CLI will use, found the way Google's client libraries
 * find Application Default Credentials (google-auth-library `getApplicationDefault`):
 * GOOGLE_APPLICATION_CREDENTIALS, else gcloud's `application_default_credentials.json`, else the
 * metadata server of a Google Cloud VM. Checked before any client is made, so a missing or unsafe
 * credential is reported in the user's terms instead of as a 401/403 from the first request.
 */
export type FoundCredentials =
  | { source: 'emulator' }
  | { source: 'metadata' }
  | { source: 'file'; path: string; type: string; who: string; impersonates?: string };

export interface CredentialsHost {
  /** The file's mode bits, or undefined when it does not exist. */
  mode(path: string): number | undefined;
  readText(path: string): string;
  home(): string;
  platform(): NodeJS.Platform;
  /** A Google Cloud VM (its BIOS vendor is Google, the test gcp-metadata makes) has a metadata server. */
  onGoogleCloud(): boolean;
}

export const nodeHost: CredentialsHost = {
  mode(path) {
    try {
      return statSync(path).mode;
    } catch {
      return undefined;
    }
  },
  readText: (path) => readFileSync(path, 'utf8'),
  home: () => homedir(),
  platform: () => platform(),
  onGoogleCloud() {
    try {
      return platform() === 'linux' && /Google/.test(readFileSync('/sys/class/dmi/id/bios_vendor', 'utf8'));
    } catch {
      return false;
    }
  },
};

const WAYS = [
  "  - your own login acting as the relay's service account (no key file): gcloud auth application-default login --impersonate-service-account=<the relay's service account>",
  '  - a key file: GOOGLE_APPLICATION_CREDENTIALS=/path/to/key.json',
  '  - a Google Cloud VM whose attached service account is the relay\'s (nothing to set)',
  'See docs/deploy.md, "Credentials for the relay".',
].join('\n');

/** The account in an iamcredentials URL `…/serviceAccounts/<email>:generateAccessToken`, as google-auth-library reads it. */
function impersonationTarget(url: unknown): string | undefined {
  return typeof url === 'string' ? /([^/]+):(generateAccessToken|generateIdToken)$/.exec(url)?.[1] : undefined;
}

function describeFile(path: string, json: Record<string, unknown>): FoundCredentials & { source: 'file' } {
  const type = String(json.type);
  switch (type) {
    case 'service_account':
      return { source: 'file', path, type, who: `service account key of ${String(json.client_email)}` };
    case 'authorized_user':
      return { source: 'file', path, type, who: 'a person\'s gcloud login' };
    case 'external_account_authorized_user':
      return { source: 'file', path, type, who: 'a person\'s workforce identity federation login' };
    case 'impersonated_service_account': {
      const target = impersonationTarget(json.service_account_impersonation_url);
      if (!target) throw new CliError(`${path}: service_account_impersonation_url names no service account; log in again with gcloud auth application-default login --impersonate-service-account=<account>`);
      return { source: 'file', path, type, who: `a gcloud login impersonating ${target}`, impersonates: target };
    }
    case 'external_account': {
      const target = impersonationTarget(json.service_account_impersonation_url);
      return { source: 'file', path, type, who: `workload identity federation${target ? ` impersonating ${target}` : ''}`, ...(target ? { impersonates: target } : {}) };
    }
    default:
      throw new CliError(`${path} is not a Google credentials file Google's client libraries read (type ${JSON.stringify(json.type)})`);
  }
}

/**
 * gcloud's ADC file: %APPDATA%\gcloud on Windows, else ~/.config/gcloud, where google-auth-library 9
 * (Cloud Storage's) looks; 10 (Pub/Sub's) looks in $CLOUDSDK_CONFIG instead when it is set.
 */
function adcFile(env: NodeJS.ProcessEnv, host: CredentialsHost): string | undefined {
  const base = host.platform() === 'win32' ? (env.APPDATA ? join(env.APPDATA, 'gcloud') : undefined) : join(env.HOME ?? host.home(), '.config', 'gcloud');
  const file = base && join(base, 'application_default_credentials.json');
  const sdkFile = env.CLOUDSDK_CONFIG && join(env.CLOUDSDK_CONFIG, 'application_default_credentials.json');
  if (sdkFile && sdkFile !== file && [sdkFile, file].some((f) => f && host.mode(f) !== undefined)) {
    // The two clients would act as different principals (or one as none).
    throw new CliError(`CLOUDSDK_CONFIG is set: Google's Pub/Sub client library then reads ${sdkFile}, its Storage library ${file ?? 'no file'}. Name one file for both: GOOGLE_APPLICATION_CREDENTIALS=${sdkFile}`);
  }
  return file;
}

/**
 * Finds and checks the credentials. A credentials file readable by group or others is a leaked
 * secret: refused, with the fix. `use: 'relay'` also refuses a person's own login, which would run
 * the relay with that person's rights instead of the relay service account's (DESIGN.md "Trust"),
 * and GOOGLE_IMPERSONATE_SERVICE_ACCOUNT when the credentials do not act as that account (Terraform
 * reads the variable; Google's Node.js libraries ignore it).
 */
export function checkCredentials(env: NodeJS.ProcessEnv, use: 'relay' | 'cli' = 'relay', host: CredentialsHost = nodeHost): FoundCredentials {
  let path = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!path && env.STORAGE_EMULATOR_HOST) return { source: 'emulator' };
  if (path && host.mode(path) === undefined) throw new CliError(`GOOGLE_APPLICATION_CREDENTIALS=${path}: no such file`);
  if (!path) {
    const adc = adcFile(env, host);
    if (adc && host.mode(adc) !== undefined) path = adc;
  }
  let found: FoundCredentials;
  if (path) {
    const mode = host.mode(path)!;
    // Windows reports no group/other bits (its ACLs are not mode bits).
    if (host.platform() !== 'win32' && mode & 0o077) {
      throw new CliError(`The credentials file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}): anyone on this machine could use it. Fix: chmod 600 ${path}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(host.readText(path));
    } catch (err) {
      throw new CliError(`${path} is not a Google credentials file (${(err as Error).message})`);
    }
    if (!json || typeof json !== 'object') throw new CliError(`${path} is not a Google credentials file`);
    found = describeFile(path, json as Record<string, unknown>);
  } else if (env.METADATA_SERVER_DETECTION === 'assume-present' || (env.METADATA_SERVER_DETECTION !== 'none' && host.onGoogleCloud())) {
    found = { source: 'metadata' };
  } else {
    throw new CliError(`No Google credentials found (no GOOGLE_APPLICATION_CREDENTIALS, no gcloud application default login, not a Google Cloud VM). Give the relay one of:\n${WAYS}`);
  }
  if (use === 'relay') {
    if (found.source === 'file' && (found.type === 'authorized_user' || found.type === 'external_account_authorized_user')) {
      throw new CliError(`${found.path} is ${found.who}: the relay would act with that person's rights, while the deployment grants the relay's to its own service account. Log in acting as it instead:\n  gcloud auth application-default login --impersonate-service-account=<the relay's service account>\nor use one of:\n${WAYS}`);
    }
    const wanted = env.GOOGLE_IMPERSONATE_SERVICE_ACCOUNT?.trim();
    const acting = found.source === 'file' ? found.impersonates : undefined;
    if (wanted && acting !== wanted) {
      throw new CliError(`GOOGLE_IMPERSONATE_SERVICE_ACCOUNT=${wanted} is read by Terraform, not by Google's Node.js client libraries: the relay would act as ${found.source === 'file' ? found.who : 'the VM\'s service account'}. To act as ${wanted}, run gcloud auth application-default login --impersonate-service-account=${wanted} (and unset GOOGLE_APPLICATION_CREDENTIALS), or unset GOOGLE_IMPERSONATE_SERVICE_ACCOUNT.`);
    }
  }
  return found;
}
