import { Storage } from '@google-cloud/storage';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendConfigPath } from '../../core/protocol';
import { taskFunctionIds } from '../../core/tasks/catalog';
import { SORTINGVIEW_VERSION } from '../../core/version';
import type { LocalStack } from '../../emulator/stack';
import { webTaskFunctionIds } from '../../web/app/taskContracts';
import { startTestStack } from '../integration/stackHarness';
import { launchChromium } from './chromium';

/** The home page in real Chromium against the whole local stack, reading the bucket anonymously. */
let stack: LocalStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ pubsub: 'ours' }), launchChromium()]);
  page = await browser.newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('home page', () => {
  it('shows the backend alive with its version and task functions, and runs a task', async () => {
    await page.goto(`${stack.webUrl}/?backend=${encodeURIComponent(stack.backendUri)}`);
    await expect.poll(() => page.locator('#backend-alive').textContent()).toMatch(/^alive/);
    expect(await page.locator('#backend-version').textContent()).toBe(SORTINGVIEW_VERSION);
    // The tasks the web app asks for (its pages' and views'), all of which the backend runs.
    const n = webTaskFunctionIds().length;
    expect(await page.locator('#backend-health').textContent()).toBe(`${n} of ${n} task functions available`);
    await page.click('#run-backend-info');
    await page.locator('#task-result').waitFor({ timeout: 20_000 });
    expect(JSON.parse((await page.locator('#task-result').textContent())!)).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds({ diagnosticTasks: true }) });
    expect(await page.locator('#task-progress').textContent()).toMatch(/^finished/);
    await page.screenshot({ path: 'test-results/home.png' });
  });

  it('runs the Firebase Auth emulator for sign-in, as npm start does', async () => {
    const res = await fetch(`http://${stack.env.FIREBASE_AUTH_EMULATOR_HOST}/`);
    expect((await res.json()).authEmulator.ready).toBe(true);
  });

  it('says clearly when a backend does not exist or the URI is wrong', async () => {
    await page.goto(`${stack.webUrl}/?backend=${encodeURIComponent(`gs://${stack.bucket}/sortingview-backends/ghost.json`)}`);
    await expect.poll(() => page.locator('#backend-error').textContent()).toMatch(/No backend "ghost"/);
    await page.goto(`${stack.webUrl}/?backend=nonsense`);
    await expect.poll(() => page.locator('#backend-error').textContent()).toMatch(/Not a Backend URI/);
  });

  it('uses the deployment\'s default backend without ?backend=, and opens a workspace URI typed in', async () => {
    await page.goto(stack.webUrl);
    await expect.poll(() => page.locator('#backend-alive').textContent()).toMatch(/^alive/);
    expect(await page.locator('#backend-input').inputValue()).toBe(stack.backendUri);
    await page.locator('#workspace-input').fill('workspace://nope');
    await page.locator('#workspace-input').press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Not a workspace URI/);
  });

  it('calls a backend whose config is older than 70 s not alive', async () => {
    const bucket = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.bucket);
    const stale = { label: 'stale', apiUrl: stack.apiUrl, version: '0.0.1', taskFunctionIds: [], timestamp: Date.now() - 120_000 };
    await bucket.file(backendConfigPath('stale')).save(JSON.stringify(stale), { resumable: false });
    await page.goto(`${stack.webUrl}/?backend=${encodeURIComponent(`gs://${stack.bucket}/sortingview-backends/stale.json`)}`);
    await expect.poll(() => page.locator('#backend-alive').textContent()).toMatch(/^not alive/);
    expect(await page.locator('#backend-health').textContent()).toBe(`0 of ${webTaskFunctionIds().length} task functions available`);
  });

  it('remembers recently used backends with their alive state; they can be forgotten, the default cannot', async () => {
    await page.goto(stack.webUrl);
    const table = page.locator('#recent-backends');
    await expect.poll(() => table.locator('tr').count()).toBe(3); // header, stale, local (default)
    const stale = table.locator('tr', { hasText: 'stale' });
    await expect.poll(() => stale.textContent()).toContain('not alive');
    const local = table.locator('tr', { hasText: stack.backendUri });
    await expect.poll(() => local.textContent()).toMatch(/alive/);
    expect(await local.textContent()).toContain('default');
    await stale.getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => table.locator('tr').count()).toBe(2);
    expect(await local.getByRole('button', { name: 'Forget' }).count()).toBe(1); // used, so stored; forgetting keeps it listed as the default
    await local.getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => table.locator('tr').count()).toBe(2);
    expect(await local.getByRole('button', { name: 'Forget' }).count()).toBe(0);
    await page.screenshot({ path: 'test-results/home-recent.png' });
  });
});
