import http from 'node:http';
import { Storage } from '@google-cloud/storage';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendConfigPath, backendUri } from '../../core/protocol';
import { runCli, startAppFixture, type AppFixture } from '../browser/appHarness';
import { launchChromium } from '../browser/chromium';

/**
 * Issue 14, item 1: a Backend URI may name a config that anyone with a relay key (or any bucket)
 * wrote, with an `apiUrl` of the writer's choosing. The web app must send the signed-in user's ID
 * token only to its own deployment's API (config.json `apiUrl`), so a foreign backend is viewed
 * read-only, with the reason on the page, and its API never sees a token.
 */
const OWNER = 'owner@lab.example.org';
let f: AppFixture;
let browser: Browser;
let thief: { url: string; seen: { method: string; path: string; authorization?: string }[]; close(): Promise<void> };

/** An API that records what reaches it and answers like ours would, to tempt the app into signed-in calls. */
async function startTokenThief(): Promise<typeof thief> {
  const seen: { method: string; path: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
    if (req.method === 'OPTIONS') { res.writeHead(204).end(); return; }
    if (req.url?.includes('/permissions/me')) { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: OWNER, canEdit: true, isOwner: true })); return; }
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unavailable', message: 'try later' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

beforeAll(async () => {
  [f, browser, thief] = await Promise.all([startAppFixture({ auth: true, user: OWNER }), launchChromium(), startTokenThief()]);
  await runCli(['workspace', 'set-permissions', f.workspaceUri, '--user', OWNER, '--edit'], f.cliEnv, process.cwd());
  // A backend config naming the thief's API, in the same public bucket (as a relay key of any label could write it).
  const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: f.stack.storage.url });
  const real = JSON.parse((await gcs.bucket(f.stack.bucket).file(backendConfigPath(f.stack.label)).download())[0].toString()) as Record<string, unknown>;
  await gcs.bucket(f.stack.bucket).file(backendConfigPath('elsewhere')).save(JSON.stringify({ ...real, label: 'elsewhere', apiUrl: thief.url, timestamp: Date.now() }), { contentType: 'application/json' });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await thief?.close();
  await f?.stack.stop();
});

async function signedInOn(backend: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(f.url({ backend, sorting: f.sortingId, north: 'UnitsTable' }));
  await page.waitForFunction(() => !!(window as unknown as { sortingviewTest?: unknown }).sortingviewTest, null, { timeout: 20_000 });
  await page.evaluate((e) => (window as unknown as { sortingviewTest: { signIn(e: string): Promise<void> } }).sortingviewTest.signIn(e), OWNER);
  await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(OWNER);
  return page;
}
const readOnly = (page: Page) => page.locator('#curation-read-only').textContent({ timeout: 1000 }).catch(() => null);

describe('11 sign-in tokens (issue 14 item 1)', () => {
  it('a backend config naming another API gets no ID token: the page is read-only and says why', async () => {
    const page = await signedInOn(backendUri(f.stack.bucket, 'elsewhere'));
    await expect.poll(() => readOnly(page), { timeout: 15_000 }).toMatch(/another deployment \(its API is http:\/\/127\.0\.0\.1:\d+\).*only to its own API/);
    // Give the page time to make every call it would make (permissions on load, re-read on focus).
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForTimeout(2000);
    expect(await page.locator('[data-label="accept"]').isDisabled()).toBe(true);
    expect(thief.seen.filter((r) => r.authorization), JSON.stringify(thief.seen)).toEqual([]);
    await page.screenshot({ path: 'test-results/foreign-backend-read-only.png' });
    await page.context().close();
  });

  it('the same user on the deployment\'s own backend gets edit rights (the token reaches its own API)', async () => {
    const before = thief.seen.length;
    const page = await signedInOn(f.stack.backendUri);
    await expect.poll(() => readOnly(page), { timeout: 15_000 }).toBeNull();
    expect(thief.seen.length).toBe(before);
    await page.context().close();
  });
});
