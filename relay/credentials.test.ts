import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCredentials } from './credentials';
import { startBackend } from './commands/startBackend';

const dir = mkdtempSync(join(tmpdir(), 'sv-cred-'));
const key = join(dir, 'key.json');
writeFileSync(key, '{"type":"service_account"}');

describe('relay credentials', () => {
  it('refuses a key file readable by group or others, and prints the fix', () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(key, mode);
      expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: key })).toThrow(`chmod 600 ${key}`);
    }
    chmodSync(key, 0o600);
    expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: key })).not.toThrow();
  });

  it('needs a key file unless it talks to the emulators', () => {
    expect(() => checkCredentials({})).toThrow(/GOOGLE_APPLICATION_CREDENTIALS is not set/);
    expect(() => checkCredentials({ STORAGE_EMULATOR_HOST: 'http://127.0.0.1:1' })).not.toThrow();
    expect(() => checkCredentials({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json') })).toThrow(/no such file/);
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
