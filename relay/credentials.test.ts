import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCredentials, nodeHost, type CredentialsHost } from './credentials';
import { startBackend } from './commands/startBackend';

const dir = mkdtempSync(join(tmpdir(), 'sv-cred-'));
const key = join(dir, 'key.json');
writeFileSync(key, '{"type":"service_account","client_email":"relay-mylab@p.iam.gserviceaccount.com"}');
chmodSync(key, 0o600);

const RELAY_SA = 'relay-mylab@p.iam.gserviceaccount.com';
const userLogin = { type: 'authorized_user', client_id: 'c.apps.googleusercontent.com', client_secret: 's', refresh_token: 'r' };
/** What `gcloud auth application-default login --impersonate-service-account=<sa>` writes. */
const impersonatingLogin = (sa: string) => ({
  type: 'impersonated_service_account',
  service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${sa}:generateAccessToken`,
  source_credentials: userLogin,
  delegates: [],
});

/** A home directory whose gcloud ADC file (if any) holds `json`. */
function homeWith(json?: object): string {
  const home = mkdtempSync(join(dir, 'home-'));
  if (json) {
    mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(join(home, '.config', 'gcloud', 'application_default_credentials.json'), JSON.stringify(json), { mode: 0o600 });
  }
  return home;
}
const offGoogleCloud: CredentialsHost = { ...nodeHost, platform: () => 'linux', onGoogleCloud: () => false };

describe('relay credentials', () => {
  it('refuses a credentials file readable by group or others, and prints the fix', () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(key, mode);
      expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: key }, 'relay', offGoogleCloud)).toThrow(`chmod 600 ${key}`);
    }
    chmodSync(key, 0o600);
    expect(checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: key }, 'relay', offGoogleCloud)).toMatchObject({ source: 'file', who: `service account key of ${RELAY_SA}` });
  });

  it('needs no credentials against the emulators, and a file that exists when one is named', () => {
    expect(checkCredentials({ STORAGE_EMULATOR_HOST: 'http://127.0.0.1:1' }, 'relay', offGoogleCloud)).toEqual({ source: 'emulator' });
    expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json') }, 'relay', offGoogleCloud)).toThrow(/no such file/);
  });

  it('uses gcloud\'s application default login impersonating the relay account, with no key file and no variable', () => {
    const home = homeWith(impersonatingLogin(RELAY_SA));
    expect(checkCredentials({ HOME: home }, 'relay', offGoogleCloud)).toMatchObject({
      source: 'file', path: join(home, '.config/gcloud/application_default_credentials.json'), type: 'impersonated_service_account', impersonates: RELAY_SA,
    });
    // GOOGLE_IMPERSONATE_SERVICE_ACCOUNT naming the same account is consistent.
    expect(checkCredentials({ HOME: home, GOOGLE_IMPERSONATE_SERVICE_ACCOUNT: RELAY_SA }, 'relay', offGoogleCloud)).toMatchObject({ impersonates: RELAY_SA });
  });

  it('refuses a person\'s own login for the relay (it would act with that person\'s rights), accepts it for the CLI', () => {
    const home = homeWith(userLogin);
    expect(() => checkCredentials({ HOME: home }, 'relay', offGoogleCloud)).toThrow(/--impersonate-service-account=/);
    expect(checkCredentials({ HOME: home }, 'cli', offGoogleCloud)).toMatchObject({ type: 'authorized_user' });
  });

  it('refuses GOOGLE_IMPERSONATE_SERVICE_ACCOUNT when the credentials do not act as that account (Google\'s Node.js libraries ignore the variable)', () => {
    expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: key, GOOGLE_IMPERSONATE_SERVICE_ACCOUNT: RELAY_SA }, 'relay', offGoogleCloud))
      .toThrow(`gcloud auth application-default login --impersonate-service-account=${RELAY_SA}`);
    expect(() => checkCredentials({ HOME: homeWith(impersonatingLogin('other@p.iam.gserviceaccount.com')), GOOGLE_IMPERSONATE_SERVICE_ACCOUNT: RELAY_SA }, 'relay', offGoogleCloud))
      .toThrow(/is read by Terraform/);
  });

  it('uses the metadata server on a Google Cloud VM, and otherwise names every way to give the relay credentials', () => {
    const home = homeWith();
    expect(checkCredentials({ HOME: home }, 'relay', { ...offGoogleCloud, onGoogleCloud: () => true })).toEqual({ source: 'metadata' });
    expect(checkCredentials({ HOME: home, METADATA_SERVER_DETECTION: 'assume-present' }, 'relay', offGoogleCloud)).toEqual({ source: 'metadata' });
    const message = (() => {
      try {
        checkCredentials({ HOME: home }, 'relay', offGoogleCloud);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/No Google credentials found/);
    for (const way of ['--impersonate-service-account=', 'GOOGLE_APPLICATION_CREDENTIALS=/path/to/key.json', 'Google Cloud VM']) expect(message).toContain(way);
    expect(() => checkCredentials({ HOME: home, METADATA_SERVER_DETECTION: 'none' }, 'relay', { ...offGoogleCloud, onGoogleCloud: () => true })).toThrow(/No Google credentials found/);
  });

  it('refuses CLOUDSDK_CONFIG without GOOGLE_APPLICATION_CREDENTIALS (Storage\'s and Pub/Sub\'s libraries would read different files)', () => {
    const sdk = homeWith(impersonatingLogin(RELAY_SA));
    const sdkDir = join(sdk, '.config', 'gcloud');
    expect(() => checkCredentials({ HOME: homeWith(), CLOUDSDK_CONFIG: sdkDir }, 'relay', offGoogleCloud))
      .toThrow(`GOOGLE_APPLICATION_CREDENTIALS=${join(sdkDir, 'application_default_credentials.json')}`);
    // The default location named explicitly is the same file for both.
    expect(checkCredentials({ HOME: sdk, CLOUDSDK_CONFIG: sdkDir }, 'relay', offGoogleCloud)).toMatchObject({ impersonates: RELAY_SA });
  });

  it('refuses a file that is not a credentials file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"type":"api_key"}', { mode: 0o600 });
    expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: bad }, 'relay', offGoogleCloud)).toThrow(/not a Google credentials file/);
  });
});

describe("Google's client libraries read the same application default login", () => {
  // The relay's two clients carry their own google-auth-library (Cloud Storage 9.x, Pub/Sub 10.x):
  // each must find gcloud's file where checkCredentials looked, and act as the impersonated account.
  const libraries = ['@google-cloud/storage', '@google-cloud/pubsub'].map((client) => {
    const fromClient = createRequire(createRequire(import.meta.url).resolve(client));
    return { client, GoogleAuth: (fromClient('google-auth-library') as typeof import('google-auth-library')).GoogleAuth };
  });

  it.each(libraries)('$client', async ({ GoogleAuth }) => {
    const home = homeWith(impersonatingLogin(RELAY_SA));
    const saved = { ...process.env };
    try {
      for (const k of ['GOOGLE_APPLICATION_CREDENTIALS', 'CLOUDSDK_CONFIG', 'STORAGE_EMULATOR_HOST']) delete process.env[k];
      Object.assign(process.env, { HOME: home, GOOGLE_CLOUD_PROJECT: 'p', METADATA_SERVER_DETECTION: 'none' });
      const client = await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
      expect(client.constructor.name).toBe('Impersonated');
      expect((client as unknown as { getTargetPrincipal(): string }).getTargetPrincipal()).toBe(RELAY_SA);
      expect(checkCredentials(process.env, 'relay', offGoogleCloud)).toMatchObject({ impersonates: RELAY_SA });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('sortingview-start-backend refuses to start without what it needs', () => {
  const env = { GOOGLE_BUCKET_NAME: 'b', SORTINGVIEW_API_URL: 'http://127.0.0.1:1', STORAGE_EMULATOR_HOST: 'http://127.0.0.1:1' };
  it.each([
    ['no label', {}, env, /--label/],
    ['a bad label', { label: '../x' }, env, /Bad label/],
    ['no bucket', { label: 'lab' }, { ...env, GOOGLE_BUCKET_NAME: undefined }, /GOOGLE_BUCKET_NAME/],
    ['no API URL', { label: 'lab' }, { ...env, SORTINGVIEW_API_URL: undefined }, /--api-url/],
    ['a missing data dir', { label: 'lab', dataDir: [join(dir, 'nope')] }, env, /does not exist/],
  ])('%s', async (_name, opts, e, message) => {
    await expect(startBackend({ dataDir: [], ...opts }, e as NodeJS.ProcessEnv, () => {})).rejects.toThrow(message);
  });

  it('uses $LABEL as the default label', async () => {
    // Gets past the label check and fails later, on the bucket.
    await expect(startBackend({ dataDir: [] }, { LABEL: 'lab' } as NodeJS.ProcessEnv, () => {})).rejects.toThrow(/GOOGLE_BUCKET_NAME/);
  });
});
