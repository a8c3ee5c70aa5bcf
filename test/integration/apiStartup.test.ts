import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFunction } from '../../emulator/functionsHost';

/** The API must never accept the Auth emulator's unsigned tokens on Cloud Functions. */
const logDir = mkdtempSync(join(tmpdir(), 'sortingview-api-startup-'));
const start = (env: Record<string, string>, name: string) => startFunction({
  name, source: join(process.cwd(), 'dist/functions/api'), target: 'api', signatureType: 'http', logDir, readyPath: '/v1/health',
  env: { PATH: process.env.PATH, GOOGLE_BUCKET_NAME: 'sortingview-test', ...env },
});

describe('api start-up', () => {
  it('refuses to start with FIREBASE_AUTH_EMULATOR_HOST on Cloud Functions (K_SERVICE set)', async () => {
    await expect(start({ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099', K_SERVICE: 'api' }, 'api-refused')).rejects.toThrow(/did not start/);
    expect(readFileSync(join(logDir, 'api-refused.log'), 'utf8')).toMatch(/FIREBASE_AUTH_EMULATOR_HOST is set on Cloud Functions/);
  });

  it('starts with the emulator variable locally, and on Cloud Functions without it', async () => {
    for (const [env, name] of [[{ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }, 'api-local'], [{ K_SERVICE: 'api' }, 'api-cloud']] as const) {
      const api = await start(env, name);
      const health = await fetch(`${api.url}/v1/health`).then((r) => r.json());
      expect(health.ok).toBe(true);
      await api.service.stop();
    }
  });

  it('rate-limits task requests per caller with 429, a message and Retry-After', async () => {
    const api = await start({ SORTINGVIEW_RATE_PER_SEC: '1', SORTINGVIEW_RATE_BURST: '2' }, 'api-ratelimit');
    try {
      const ask = () => fetch(`${api.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backend: 'x', functionId: 'nope.1' }) });
      expect((await ask()).status).toBe(404);
      expect((await ask()).status).toBe(404);
      const limited = await ask();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await limited.json()).error).toBe('rate_limited');
      expect((await fetch(`${api.url}/v1/health`)).status).toBe(200); // health is not limited
    } finally {
      await api.service.stop();
    }
  });

  it('refuses to start without a bucket, saying which variable is missing', async () => {
    await expect(startFunction({
      name: 'api-nobucket', source: join(process.cwd(), 'dist/functions/api'), target: 'api', signatureType: 'http', logDir, readyPath: '/v1/health',
      env: { PATH: process.env.PATH },
    })).rejects.toThrow(/did not start/);
    expect(readFileSync(join(logDir, 'api-nobucket.log'), 'utf8')).toMatch(/GOOGLE_BUCKET_NAME/);
  });
});
