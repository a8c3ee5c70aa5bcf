// The web app under the headers scripts/deploy gives it on Firebase Hosting (firebase.json of
// scripts/deploy.d/hosting.mjs), in real Chromium: it boots, with sign-in configured, and the
// Content-Security-Policy reports no violation. A page with an inline script, under the same
// headers, does report one (so the check can fail). Hosting itself is not run here: a small server
// applies the same headers to the same files.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/chromium';
import { ensureBuilt } from './bundles';
import { root } from './helpers';

interface Hosting { hosting: { headers: { source: string; headers: { key: string; value: string }[] }[] } }
const hostingModule: string = '../../scripts/deploy.d/hosting.mjs';
const { firebaseJson, webConfig } = await import(hostingModule) as {
  firebaseJson: (cfg: object) => Hosting; webConfig: (cfg: object, apiUrl: string) => object;
};

const cfg = {
  project: 'my-lab-123', hostingSite: 'my-lab-123', bucket: 'my-lab-123-sortingview', relayLabel: undefined,
  firebase: { apiKey: 'AIzaSyFakeKey_0123456789', authDomain: 'my-lab-123.firebaseapp.com', projectId: 'my-lab-123' },
};
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'sv-hosting-'));
  cpSync(join(root, 'dist', 'web'), dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(webConfig(cfg, 'https://api-fake-uc.a.run.app')));
  writeFileSync(join(dir, 'inline.html'), '<!doctype html><p id="x">inline</p><script>document.title = "ran"</script>');
  const headers = firebaseJson(cfg).hosting.headers.flatMap((h) => h.headers);
  expect(firebaseJson(cfg).hosting.headers.map((h) => h.source)).toEqual(['**']);
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    let body: Buffer;
    try { body = readFileSync(join(dir, path)); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', ...Object.fromEntries(headers.map((h) => [h.key, h.value])) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens a page and collects its CSP violations (the securitypolicyviolation events, as `directive blockedURI`). */
async function open(path: string) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(`${base}${path}`);
  return page;
}

describe('the web app under its Hosting headers', { timeout: 60_000 }, () => {
  it('boots with sign-in configured, and the Content-Security-Policy blocks nothing it does', async () => {
    const page = await open('/');
    await page.locator('#backend-input').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000); // let sign-in initialise
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    await page.close();
  });

  it('blocks an inline script under the same headers (the check can fail)', async () => {
    const page = await open('/inline.html');
    await page.locator('#x').waitFor();
    expect(await page.title()).not.toBe('ran');
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(['script-src-elem inline']);
    await page.close();
  });
});
