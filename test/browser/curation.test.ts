import { attributionOf } from '../../core/curation/attribution';
import { Storage } from '@google-cloud/storage';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curationSubfeedHash, parseWorkspaceUri, readFeed } from '../../core/feeds';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { runCli, startAppFixture, type AppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * Curation in the GUI with sign-in: the local stack with the Firebase Auth emulator, an owner (who
 * made the workspace's access list with the CLI), an editor the owner grants edit rights in the app,
 * and a stranger. Users sign in through the app's test hook (a Google credential the emulator
 * accepts; the first sign-in creates the user on the emulator), so the API sees real emulator ID tokens.
 */
const OWNER = 'owner@lab.example.org';
const EDITOR = 'editor@lab.example.org';
const STRANGER = 'stranger@elsewhere.example.org';

let f: AppFixture;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture({ auth: true, user: OWNER }), launchChromium()]);
  // The owner's access list, as `sortingview workspace set-permissions` creates it (owned by the CLI's user).
  await runCli(['workspace', 'set-permissions', f.workspaceUri, '--user', OWNER, '--edit'], f.cliEnv, process.cwd());
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await f?.stack.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  return page;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as { sortingviewTest?: unknown }).sortingviewTest, null, { timeout: 20_000 });
  await page.evaluate((e) => (window as unknown as { sortingviewTest: { signIn(e: string): Promise<void> } }).sortingviewTest.signIn(e), email);
  await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(email);
}

const units = () => f.demo.mda.units.filter((u) => u.numSpikes > 0);
const sortingUrl = () => f.url({ sorting: f.sortingId, north: 'UnitsTable' });
const row = (page: Page, unitId: number) => page.locator(`.ut-row[data-unit-id="${unitId}"]`);
const labelsOf = (page: Page, unitId: number) => row(page, unitId).locator('.labels').textContent();
const readOnly = (page: Page) => page.locator('#curation-read-only').textContent({ timeout: 1000 }).catch(() => null);

async function openSorting(page: Page): Promise<void> {
  await page.goto(sortingUrl());
  await expect.poll(() => page.locator('.ut-row').count(), { timeout: 30_000 }).toBe(units().length);
}

/** Selects exactly these units (checkboxes), then waits until the panel may edit. */
async function select(page: Page, ids: number[]): Promise<void> {
  const clear = page.locator('#curation-section button:has-text("Clear")');
  if (await clear.isEnabled()) await clear.click();
  for (const id of ids) await row(page, id).locator('.unit-checkbox').check();
  await expect.poll(() => page.locator('#selected-units').textContent()).toBe(`Selected units: ${[...ids].sort((a, b) => a - b).join(', ')}`);
}

async function curationLog(): Promise<{ message: Record<string, unknown>; user: string }[]> {
  const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: f.stack.storage.url });
  const { feedId } = parseWorkspaceUri(f.workspaceUri);
  return readFeed(gcsBlobStore(gcs.bucket(f.stack.bucket)), feedId, curationSubfeedHash(f.sortingId));
}

describe('curation with sign-in', () => {
  it('a signed-out user sees the curation read-only, and why; polling the logs requests nothing that is missing (no red 404s)', async () => {
    const page = await newPage();
    const feed404s: string[] = [];
    page.on('response', (r) => { if (r.status() === 404 && /\/feeds(\/|%2F)/.test(r.url())) feed404s.push(r.url()); });
    await openSorting(page);
    await new Promise((r) => setTimeout(r, 3000)); // three polls of a curation log nobody has written yet
    expect(feed404s).toEqual([]);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toMatch(/read-only: you are not signed in/);
    expect(await page.locator('[data-label="accept"]').isDisabled()).toBe(true);
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    await page.screenshot({ path: 'test-results/curation-signed-out.png' });
  });

  it('offline, Sign in asks for an address and signs in on the Auth emulator; a failure says why and clears on success', async () => {
    const page = await newPage();
    // No internet: only the local stack answers (Firebase's popup would need apis.google.com).
    const outside: string[] = [];
    await page.route('**/*', (r) => {
      const host = new URL(r.request().url()).hostname;
      if (host === '127.0.0.1' || host === 'localhost') return r.continue();
      outside.push(r.request().url());
      return r.abort('internetdisconnected');
    });
    await openSorting(page);
    // The Auth emulator unreachable at first: the error is readable, not "sign-in failed".
    const authHost = f.stack.env.FIREBASE_AUTH_EMULATOR_HOST;
    const blockAuth = (r: import('playwright-core').Route) => r.abort('internetdisconnected');
    await page.route(`http://${authHost}/**`, blockAuth);
    await page.locator('#sign-in').click();
    await expect.poll(() => page.locator('#local-sign-in-email').inputValue()).toBe(OWNER);
    await page.locator('#local-sign-in-submit').click();
    await expect.poll(() => page.locator('#sign-in-error').textContent(), { timeout: 10_000 }).toMatch(/could not reach the local Auth emulator.*npm start/);
    await page.screenshot({ path: 'test-results/sign-in-local-error.png' });
    await page.unroute(`http://${authHost}/**`, blockAuth);
    await page.locator('#local-sign-in-submit').click();
    await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(OWNER);
    expect(await page.locator('#sign-in-error').count()).toBe(0);
    expect(await page.locator('#local-sign-in').count()).toBe(0);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toBeNull();
    expect(outside.filter((u) => /apis\.google\.com|accounts\.google\.com|googleapis\.com/.test(u))).toEqual([]);
    await page.locator('#sign-out').click();
    await expect.poll(() => page.locator('#sign-in').count()).toBe(1);
  }, 120_000);

  it('the local sign-in form and the share popover close on Escape and on a click outside', async () => {
    const page = await newPage();
    await openSorting(page);
    await page.locator('#sign-in').click();
    await expect.poll(() => page.locator('#local-sign-in').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#local-sign-in').count()).toBe(0);
    await page.locator('#sign-in').click();
    await page.locator('#sorting-title').click();
    await expect.poll(() => page.locator('#local-sign-in').count()).toBe(0);
    await page.locator('#copy-link').click();
    await expect.poll(() => page.locator('#share-link').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#share-link').count()).toBe(0);
    await page.locator('#copy-link').click();
    await page.locator('#sorting-title').click();
    await expect.poll(() => page.locator('#share-link').count()).toBe(0);
  });

  it('the owner signs in, labels a unit and merges two; both survive a reload; the history says who', async () => {
    const page = await newPage();
    const [a, b, c] = units();
    await openSorting(page);
    await signIn(page, OWNER);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toBeNull();
    await select(page, [a.id]);
    await page.locator('[data-label="accept"]').click();
    await expect.poll(() => labelsOf(page, a.id)).toBe('accept');
    await select(page, [b.id, c.id]);
    await page.locator('#merge-units').click();
    await expect.poll(() => page.locator('#apply-merges').locator('..').textContent()).toContain(`${Math.min(b.id, c.id)}+${Math.max(b.id, c.id)}`);
    // The pending list empties once the polled log contains both actions.
    await expect.poll(() => page.locator('#curation-pending').count(), { timeout: 5000 }).toBe(0);
    await page.reload();
    await expect.poll(() => labelsOf(page, a.id), { timeout: 30_000 }).toBe('accept');
    await expect.poll(() => page.locator('#apply-merges').locator('..').textContent()).toContain('1 merge group');
    const history = (await page.locator('#curation-history').textContent())!;
    // The log attributes without the address; the page marks the signed-in user's own entries.
    const me = `you (${attributionOf(parseWorkspaceUri(f.workspaceUri).feedId, OWNER)})`;
    expect(history).toContain(`${me}: label ${a.id} "accept"`);
    expect(history).toContain(`${me}: merge`);
    expect(history).not.toContain(OWNER);
    const log = await curationLog();
    expect(log.map((m) => m.message.type)).toEqual(['ADD_UNIT_LABEL', 'MERGE_UNITS']);
    expect(log.every((m) => m.user === attributionOf(parseWorkspaceUri(f.workspaceUri).feedId, OWNER))).toBe(true);
    await page.screenshot({ path: 'test-results/curation-owner.png' });
  });

  it('a stranger signed in sees read-only with the reason (no edit permission: ask the owner)', async () => {
    const page = await newPage();
    await openSorting(page);
    await signIn(page, STRANGER);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toMatch(new RegExp(`${STRANGER} has no edit permission.*owner`));
    expect(await page.locator('[data-label="accept"]').isDisabled()).toBe(true);
    await page.goto(f.url());
    await expect.poll(() => page.locator('#my-permissions').textContent(), { timeout: 20_000 }).toMatch(/may view but not edit.*ask its owner/);
    expect(await page.locator('#grant-email').count()).toBe(0);
    await page.screenshot({ path: 'test-results/curation-stranger.png' });
  });

  it('the owner grants the editor edit rights in the workspace page; owner and editor see each other\'s edits within 2 s', async () => {
    const owner = await newPage();
    await owner.goto(f.url());
    await signIn(owner, OWNER);
    await expect.poll(() => owner.locator('#my-permissions').textContent(), { timeout: 20_000 }).toMatch(/own this workspace/);
    await owner.locator('#grant-email').fill(EDITOR);
    await owner.locator('#grant-edit').click();
    await expect.poll(() => owner.locator('#acl-editors').textContent()).toContain(EDITOR);
    await owner.screenshot({ path: 'test-results/curation-permissions.png' });

    const editor = await newPage();
    await Promise.all([openSorting(owner), openSorting(editor)]);
    await signIn(editor, EDITOR);
    await expect.poll(() => readOnly(editor), { timeout: 10_000 }).toBeNull();
    await expect.poll(() => readOnly(owner), { timeout: 10_000 }).toBeNull();
    const [, , , d, e] = units();

    await select(owner, [d.id]);
    await owner.locator('[data-label="noise"]').click();
    let t0 = Date.now();
    await expect.poll(() => labelsOf(editor, d.id), { timeout: 2000, interval: 100 }).toBe('noise');
    const ownerToEditorMs = Date.now() - t0;

    await select(editor, [e.id]);
    await editor.locator('[data-label="mua"]').click();
    t0 = Date.now();
    await expect.poll(() => labelsOf(owner, e.id), { timeout: 2000, interval: 100 }).toBe('mua');
    const editorToOwnerMs = Date.now() - t0;
    console.log(`edits seen by the other browser after ${ownerToEditorMs} ms and ${editorToOwnerMs} ms`);
    await expect.poll(() => owner.locator('#curation-history').textContent()).toContain(`${attributionOf(parseWorkspaceUri(f.workspaceUri).feedId, EDITOR)}: label ${e.id} "mua"`);
    await owner.screenshot({ path: 'test-results/curation-two-browsers-owner.png' });
    await editor.screenshot({ path: 'test-results/curation-two-browsers-editor.png' });

    // Taken away again: the editor's next edit is refused and rolled back, and the page turns read-only
    // with the reason; granted again, the page turns editable when the window gets the focus back.
    await owner.goto(f.url());
    await expect.poll(() => owner.locator(`[data-editor="${EDITOR}"]`).count(), { timeout: 20_000 }).toBe(1);
    await owner.locator(`[data-editor="${EDITOR}"] .revoke-edit`).click();
    await expect.poll(() => owner.locator(`[data-editor="${EDITOR}"]`).count()).toBe(0);
    await select(editor, [d.id]);
    await editor.locator('[data-label="artifact"]').click();
    await expect.poll(() => readOnly(editor), { timeout: 10_000 }).toMatch(new RegExp(`${EDITOR} has no edit permission`));
    await expect.poll(() => labelsOf(editor, d.id)).toBe('noise');
    await editor.screenshot({ path: 'test-results/curation-revoked.png' });
    await owner.locator('#grant-email').fill(EDITOR);
    await owner.locator('#grant-edit').click();
    await expect.poll(() => owner.locator(`[data-editor="${EDITOR}"]`).count()).toBe(1);
    await editor.evaluate('window.dispatchEvent(new Event("focus"))');
    await expect.poll(() => readOnly(editor), { timeout: 10_000 }).toBeNull();
  });

  it('undo appends the inverse action; redo appends the action again', async () => {
    const page = await newPage();
    const f5 = units()[5];
    await openSorting(page);
    await signIn(page, OWNER);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toBeNull();
    const before = (await curationLog()).length;
    await select(page, [f5.id]);
    await page.locator('[data-label="reject"]').click();
    await expect.poll(() => labelsOf(page, f5.id)).toBe('reject');
    await expect.poll(() => page.locator('#undo').isDisabled()).toBe(false);
    await page.locator('#undo').click();
    await expect.poll(() => labelsOf(page, f5.id)).toBe('');
    await expect.poll(async () => (await curationLog()).slice(before).map((m) => m.message), { timeout: 5000 }).toEqual([
      { type: 'ADD_UNIT_LABEL', unitId: [f5.id], label: 'reject' },
      { type: 'REMOVE_UNIT_LABEL', unitId: [f5.id], label: 'reject' },
    ]);
    await page.locator('#redo').click();
    await expect.poll(() => labelsOf(page, f5.id)).toBe('reject');
    await expect.poll(async () => (await curationLog()).length, { timeout: 5000 }).toBe(before + 3);
    await page.screenshot({ path: 'test-results/curation-undo.png' });
  });

  it('"Curation complete" stops keyboard shortcuts too: nothing is sent, the page says why, and reopening lets them through', async () => {
    const page = await newPage();
    const g = units()[6];
    await openSorting(page);
    await signIn(page, OWNER);
    await expect.poll(() => readOnly(page), { timeout: 10_000 }).toBeNull();
    await page.locator('#close-curation').click();
    await expect.poll(() => page.locator('#close-curation').textContent()).toBe('Reopen curation');
    await expect.poll(() => page.locator('#curation-pending').count(), { timeout: 5000 }).toBe(0);
    const before = (await curationLog()).length;
    // A click on the row selects the unit and leaves the keyboard to the page (a checkbox would keep the focus).
    await row(page, g.id).click();
    await expect.poll(() => page.locator('#selected-units').textContent()).toBe(`Selected units: ${g.id}`);
    expect(await page.locator('[data-label="accept"]').isDisabled()).toBe(true);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#status-message').textContent()).toMatch(/marked complete.*Reopen curation/);
    await page.screenshot({ path: 'test-results/curation-closed-shortcut.png' });
    await new Promise((r) => setTimeout(r, 1500)); // a poll or two: nothing arrives
    expect(await curationLog()).toHaveLength(before);
    expect(await labelsOf(page, g.id)).toBe('');
    expect(await page.locator('#curation-history').textContent()).not.toContain(`label ${g.id} "accept"`);

    await page.locator('#close-curation').click();
    await expect.poll(() => page.locator('#close-curation').textContent()).toBe('Curation complete');
    await page.keyboard.press('a');
    await expect.poll(() => labelsOf(page, g.id)).toBe('accept');
    await expect.poll(async () => (await curationLog()).slice(before).map((m) => m.message.type), { timeout: 5000 }).toEqual(['REOPEN_CURATION', 'ADD_UNIT_LABEL']);
  }, 120_000);

  it('the owner removes a sorting in the workspace page after confirming; the editor has no Remove button', async () => {
    const editor = await newPage();
    await editor.goto(f.url());
    await signIn(editor, EDITOR);
    await expect.poll(() => editor.locator('#my-permissions').textContent(), { timeout: 20_000 }).toMatch(/may edit/);
    await expect.poll(() => editor.locator(`#sortings-table tr[data-sorting-id="${f.nwbSortingId}"]`).count(), { timeout: 20_000 }).toBe(1);
    expect(await editor.locator('.remove-button').count()).toBe(0);

    const owner = await newPage();
    await owner.goto(f.url());
    await signIn(owner, OWNER);
    const nwbRow = owner.locator(`#sortings-table tr[data-sorting-id="${f.nwbSortingId}"]`);
    await expect.poll(() => nwbRow.locator('.remove-button').count(), { timeout: 20_000 }).toBe(1);
    await nwbRow.locator('.remove-button').click();
    await expect.poll(() => owner.locator('#remove-dialog').textContent()).toMatch(/Remove sorting "nwb-units".*data files stay.*export the curation first/);
    await owner.screenshot({ path: 'test-results/workspace-remove-dialog.png' });
    await owner.locator('#remove-confirm').click();
    await expect.poll(() => nwbRow.count(), { timeout: 10_000 }).toBe(0);
    expect(await owner.locator(`#sortings-table tr[data-sorting-id="${f.sortingId}"]`).count()).toBe(1);
    // The editor's page follows the log.
    await editor.reload();
    await expect.poll(() => editor.locator(`#sortings-table tr[data-sorting-id="${f.sortingId}"]`).count(), { timeout: 20_000 }).toBe(1);
    expect(await editor.locator(`#sortings-table tr[data-sorting-id="${f.nwbSortingId}"]`).count()).toBe(0);
  }, 120_000);
});
