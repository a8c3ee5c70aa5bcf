import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicObjectUrl } from '../../core/protocol';
import type { LocalStack } from '../../emulator/stack';
import { launchChromium } from '../browser/chromium';
import { startTestStack } from '../integration/stackHarness';

/**
 * Issue 14, item 12: served from `https://storage.googleapis.com/<bucket>/web/`, the web app shares
 * its origin with every object of every public bucket, so a page anyone uploads reads the signed-in
 * user's Firebase session from IndexedDB. On the local stack the storage emulator's public port plays
 * storage.googleapis.com. First the old layout (the app under `web/` in the bucket): the page leaks
 * the session, which shows the attack. Then the deployment's layout (the app on an origin of its own,
 * as Firebase Hosting gives it, here the stack's web server): the same page finds nothing.
 * scripts/deploy and terraform never put the app in a bucket (test/deploy/deployScript.test.ts).
 */
const USER = 'curator@lab.example.org';
let stack: LocalStack;
let browser: Browser;
let stealUrl = '';
let bucketAppUrl = '';

/** Anyone's page on the shared storage origin: it lists what Firebase Auth keeps in IndexedDB. */
const STEAL_PAGE = `<!doctype html><pre id="out">…</pre><script>
const open = indexedDB.open('firebaseLocalStorageDb');
open.onsuccess = () => {
  const db = open.result;
  if (!db.objectStoreNames.contains('firebaseLocalStorage')) { document.getElementById('out').textContent = '[]'; return; }
  const all = db.transaction('firebaseLocalStorage').objectStore('firebaseLocalStorage').getAll();
  all.onsuccess = () => { document.getElementById('out').textContent = JSON.stringify(all.result); };
};
open.onerror = () => { document.getElementById('out').textContent = 'error ' + open.error; };
</script>`;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ pubsub: 'ours', auth: true }), launchChromium()]);
  const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  const bucket = gcs.bucket(stack.bucket);
  // The old layout: dist/web and the app's own config.json under web/ in the public bucket.
  const webDir = join(process.cwd(), 'dist', 'web');
  const config = await (await fetch(`${stack.webUrl}/config.json`)).text();
  await Promise.all([
    ...readdirSync(webDir).map((f) => bucket.file(`web/${f}`).save(readFileSync(join(webDir, f)), { contentType: TYPES[extname(f)] ?? 'application/octet-stream', resumable: false })),
    bucket.file('web/config.json').save(config, { contentType: 'application/json', resumable: false }),
    bucket.file('someone-else/steal.html').save(STEAL_PAGE, { contentType: 'text/html; charset=utf-8', resumable: false }),
  ]);
  const publicUrl = stack.env.SORTINGVIEW_PUBLIC_STORAGE_URL!;
  bucketAppUrl = publicObjectUrl(publicUrl, stack.bucket, 'web/index.html');
  stealUrl = publicObjectUrl(publicUrl, stack.bucket, 'someone-else/steal.html');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(context: BrowserContext, appUrl: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForFunction(() => !!(window as unknown as { sortingviewTest?: unknown }).sortingviewTest, null, { timeout: 20_000 });
  await page.evaluate((e) => (window as unknown as { sortingviewTest: { signIn(e: string): Promise<void> } }).sortingviewTest.signIn(e), USER);
  await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(USER);
  await page.close();
}

/** What the page on the shared storage origin finds, in the same browser as the signed-in user. */
async function stolen(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  await page.goto(stealUrl);
  await expect.poll(() => page.locator('#out').textContent(), { timeout: 10_000 }).not.toBe('…');
  const out = (await page.locator('#out').textContent())!;
  await page.close();
  return out;
}

describe('web app origin (issue 14 item 12)', () => {
  it('served from the bucket (the old layout), any page on the storage origin reads the signed-in session', async () => {
    const context = await browser.newContext();
    await signIn(context, bucketAppUrl);
    const out = await stolen(context);
    expect(out).toContain(USER);
    expect(out).toMatch(/refreshToken/); // enough to mint ID tokens for the user
    await context.close();
  });

  it('served from its own origin (as Firebase Hosting serves it), the same page finds no session', async () => {
    const context = await browser.newContext();
    await signIn(context, stack.webUrl);
    expect(new URL(stack.webUrl).origin).not.toBe(new URL(stealUrl).origin);
    expect(await stolen(context)).toBe('[]');
    await context.close();
  });
});
