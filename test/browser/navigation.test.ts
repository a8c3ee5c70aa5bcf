import type { Browser, Page } from 'playwright-core';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { appendMessages, curationSubfeedHash, parseWorkspaceUri } from '../../core/feeds';
import { MIN_CELL_PX } from '../../web/views/crossCorrelograms/matrixLayout';
import { addNeuropixelsSorting, type AppFixture, closeFixture, openAppPage, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * Navigation as phy users expect it (issue 18 items 4 and 8), in real Chromium at 1600×1000 against
 * the local stack: next/previous unit in the units table's order, phy's wizard (best unit, then its
 * most similar units), Shift- and Ctrl-click in the table, and a readable 20-unit correlogram matrix.
 * Assertions are on what is shown: selected rows, the wizard's line, cell sizes.
 */
let f: AppFixture;
let browser: Browser;
let page: Page;
/** The Neuropixels recording (SpikeGLX, 384 channels) with its phy folder of 24 units: more rows than the table shows. */
let npSortingId: string;
/** What the wizard showed in the wizard test: the units by SNR, and the second best unit's most similar unit. */
let wizardSeen: { ranked: number[]; secondSimilar: number } | null = null;

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture({ durationSec: 3, numUnits: 24 }), launchChromium()]);
  npSortingId = await addNeuropixelsSorting(f);
  page = await openAppPage(browser);
}, 180_000);
afterAll(() => closeFixture(browser, f));

const shot = (name: string) => page.screenshot({ path: `test-results/${name}.png` });
const units = () => f.demo.spikeglx.units.filter((u) => u.numSpikes > 0);
const row = (unitId: number) => page.locator(`.ut-row[data-unit-id="${unitId}"]`);

/**
 * The units table's rows in the order it draws them (placed by `top`; virtualized, so it scrolls
 * through them all, then back), and which of them carry a label.
 */
async function tableRows(): Promise<{ order: number[]; labelled: Set<number> }> {
  const byTop = new Map<number, number>();
  const labelled = new Set<number>();
  const box = page.locator('.units-table-scroll');
  const { scrollHeight, clientHeight } = await box.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
  for (let y = 0; ; y += Math.max(50, clientHeight - 60)) {
    await box.evaluate((el, top) => { el.scrollTop = top; }, y);
    await page.waitForTimeout(50);
    const rows = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.ut-row')]
      .map((r) => [parseFloat(r.style.top), Number(r.dataset.unitId), r.querySelector('.label-chip') !== null] as const));
    for (const [top, id, hasLabel] of rows) {
      byTop.set(top, id);
      if (hasLabel) labelled.add(id);
    }
    if (y + clientHeight >= scrollHeight) break;
  }
  await box.evaluate((el) => { el.scrollTop = 0; });
  return { order: [...byTop.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id), labelled };
}
const tableOrder = async () => (await tableRows()).order;
const selectedRows = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.ut-row.selected')].map((r) => Number(r.dataset.unitId)).sort((a, b) => a - b));
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** Whether the unit's row is inside the table's visible scroll area. */
function rowInView(unitId: number): Promise<boolean> {
  return page.evaluate((u) => {
    const r = document.querySelector(`.ut-row[data-unit-id="${u}"]`);
    const box = document.querySelector('.units-table-scroll');
    const header = document.querySelector('.ut-header');
    if (!r || !box || !header) return false;
    const a = r.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return a.top >= header.getBoundingClientRect().bottom - 1 && a.bottom <= b.bottom + 1;
  }, unitId);
}

async function openTable(params: Record<string, string>): Promise<void> {
  await page.goto(f.url({ sorting: npSortingId, north: 'UnitsTable', ...params }));
  await expect.poll(() => page.locator('.ut-row').count(), { timeout: 30_000 }).toBeGreaterThan(10);
  // The metrics (SNR) are in: no pending cell left.
  await expect.poll(() => page.locator('.ut-row .num .muted').count(), { timeout: 60_000 }).toBe(0);
}

describe('navigation', () => {
  it('Page Down / Page Up and ] / [ move the selection through the table in its sorted order, and the table scrolls to it', async () => {
    await openTable({ south: 'AverageWaveforms' });
    await page.locator('.ut-header [data-sort-key="snr"]').click(); // highest SNR first
    await expect.poll(() => page.locator('.ut-header [data-sort-key="snr"]').textContent()).toContain('▼');
    const order = await tableOrder();
    expect(order).not.toEqual(sorted(order)); // the SNR order is not the id order
    await page.locator('.view-toolbar #units-count').click(); // focus on the page, not a field
    await page.keyboard.press('PageDown');
    await expect.poll(selectedRows).toEqual([order[0]]);
    await page.keyboard.press('PageDown');
    await expect.poll(selectedRows).toEqual([order[1]]);
    await page.keyboard.press(']');
    await expect.poll(selectedRows).toEqual([order[2]]);
    await page.keyboard.press('PageUp');
    await expect.poll(selectedRows).toEqual([order[1]]);
    await page.keyboard.press('[');
    await page.keyboard.press('[');
    await expect.poll(selectedRows).toEqual([order[0]]);
    await expect.poll(() => page.locator('#status-message').textContent()).toBe(`Unit ${order[0]} is the first unit of the table.`);
    await page.keyboard.press('PageDown');
    await expect.poll(selectedRows).toEqual([order[1]]);
    expect(await page.locator('#status-message').count()).toBe(0); // a later step that works clears it
    await page.keyboard.press('PageUp');
    // From nothing selected, Page Up starts at the last row, which the table scrolls into view.
    await page.keyboard.press('Escape');
    await expect.poll(selectedRows).toEqual([]);
    const last = order.at(-1)!;
    expect(order).toHaveLength(units().length);
    expect(await rowInView(last)).toBe(false); // the table is shorter than its rows
    await page.keyboard.press('PageUp');
    await expect.poll(selectedRows).toEqual([last]);
    await expect.poll(() => rowInView(last)).toBe(true);
    expect(await page.locator('#selected-units').textContent()).toBe(`Selected units: ${last}`);
    await shot('navigation-next-unit');
    // The panel's buttons do the same.
    await page.locator('#previous-unit').click();
    await expect.poll(selectedRows).toEqual([order.at(-2)!]);
    await page.locator('#next-unit').click();
    await expect.poll(selectedRows).toEqual([last]);
    // The help dialog lists the keys.
    await page.keyboard.press('?');
    const help = (await page.locator('#help-dialog').textContent())!;
    for (const k of ['Page Down', 'Page Up', 'Space', 'Shift+Space']) expect(help).toContain(k);
    await shot('navigation-help');
    await page.keyboard.press('Escape');
  }, 180_000);

  it('Shift-click selects the rows between in table order, Ctrl-click toggles one, Shift on a checkbox extends the range', async () => {
    await openTable({ south: 'AverageWaveforms' });
    await page.locator('.ut-header [data-sort-key="count"]').click(); // most spikes first
    const order = await tableOrder();
    await row(order[2]).locator('.unit-id').click();
    await row(order[6]).locator('.unit-id').click({ modifiers: ['Shift'] });
    await expect.poll(selectedRows).toEqual(sorted(order.slice(2, 7)));
    // No page text got selected by the Shift-click.
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    await row(order[4]).locator('.unit-id').click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(selectedRows).toEqual(sorted([order[2], order[3], order[5], order[6]]));
    await row(order[9]).locator('.unit-id').click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(selectedRows).toEqual(sorted([order[2], order[3], order[5], order[6], order[9]]));
    // Ctrl+Shift adds a range (from the last Ctrl-clicked row) to the selection.
    await row(order[11]).locator('.unit-id').click({ modifiers: ['ControlOrMeta', 'Shift'] });
    await expect.poll(selectedRows).toEqual(sorted([order[2], order[3], order[5], order[6], order[9], order[10], order[11]]));
    // A plain click starts again; Shift on a checkbox checks the range from it.
    await row(order[0]).locator('.unit-id').click();
    await row(order[3]).locator('.unit-checkbox').click({ modifiers: ['Shift'] });
    await expect.poll(selectedRows).toEqual(sorted(order.slice(0, 4)));
    await shot('navigation-range-select');
  }, 180_000);

  it('the wizard: Space selects the best unit, then its most similar units one by one, each once, until none remain', async () => {
    await openTable({ south: 'TemplateSimilarity' });
    await page.locator('.ut-header [data-sort-key="snr"]').click();
    // The best unit: the unlabelled one with the highest SNR (the phy folder's cluster_group.tsv may label some).
    // Read while scrolling through the table: only the rows in view are in the DOM.
    const { order: bySnr, labelled } = await tableRows();
    const ranked = bySnr.filter((u) => !labelled.has(u));
    const best = ranked[0];
    await page.locator('#units-count').click();
    await page.keyboard.press('Space');
    await expect.poll(selectedRows).toEqual([best]);
    await expect.poll(() => page.locator('#wizard-status').textContent()).toContain(`Best unit ${best}`);
    const seen: number[] = [];
    const sims: number[] = [];
    let total = -1;
    // Each Space shows a unit not shown before, or says that none remain.
    const step = async (): Promise<{ u: number; s: number; shown: number; total: number } | null> => {
      let out: { u: number; s: number; shown: number; total: number } | null | undefined;
      await expect.poll(async () => {
        if (/^No more/.test(await page.locator('#wizard-message').textContent({ timeout: 100 }).catch(() => '') ?? '')) { out = null; return true; }
        const m = /most similar: (\d+) \(([\d.]+)\) · (\d+) of (\d+) similar/.exec((await page.locator('#wizard-status').textContent())!);
        if (!m || seen.includes(Number(m[1]))) return false;
        out = { u: Number(m[1]), s: Number(m[2]), shown: Number(m[3]), total: Number(m[4]) };
        return true;
      }, { timeout: 60_000 }).toBe(true);
      return out!;
    };
    for (;;) {
      await page.keyboard.press('Space');
      const r = await step();
      if (!r) break;
      expect(r.shown).toBe(seen.length + 1);
      seen.push(r.u);
      sims.push(r.s);
      expect(await selectedRows()).toEqual(sorted([best, r.u]));
      if (seen.length === 1) {
        total = r.total;
        await shot('navigation-wizard');
      }
    }
    // Every unit with a template similarity above 0 to the best unit, each once (on a 384-channel probe, only its neighbours).
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBe(total);
    for (let i = 1; i < sims.length; i++) expect(sims[i]).toBeLessThanOrEqual(sims[i - 1]); // most similar first
    const noMore = `No more units similar to unit ${best} (${seen.length} shown). Press b for the next best unit.`;
    expect(await page.locator('#wizard-message').textContent()).toBe(noMore);
    // The template similarity view shows the wizard too, with its own buttons.
    expect(await page.locator('.similarity-wizard .wizard-message').textContent()).toBe(noMore);
    expect(await page.locator('.similarity-wizard .wizard-status').textContent()).toBe(await page.locator('#wizard-status').textContent());
    await shot('navigation-wizard-done');
    // Back (Shift+Space) goes through the ones shown; Space then walks forward again.
    await page.keyboard.press('Shift+Space');
    await expect.poll(selectedRows).toEqual(sorted(seen.length >= 2 ? [best, seen.at(-2)!] : [best]));
    await page.keyboard.press('Space');
    await expect.poll(selectedRows).toEqual(sorted([best, seen.at(-1)!]));
    // b: the next best unit (second highest SNR), with a fresh list of similar units.
    await page.keyboard.press('b');
    await expect.poll(selectedRows).toEqual([ranked[1]]);
    await page.locator('.similarity-wizard button:has-text("Most similar")').click();
    await expect.poll(() => page.locator('#wizard-status').textContent()).toMatch(new RegExp(`Best unit ${ranked[1]} · most similar: \\d+ \\([\\d.]+\\) · 1 of`));
    wizardSeen = { ranked, secondSimilar: Number(/most similar: (\d+)/.exec((await page.locator('#wizard-status').textContent())!)![1]) };
  }, 180_000);

  it('the wizard skips labelled units: an accepted unit is no longer the best, a noise unit is never offered as similar', async () => {
    expect(wizardSeen).not.toBeNull();
    const { ranked, secondSimilar } = wizardSeen!;
    const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: f.stack.storage.url });
    await appendMessages(gcsBlobStore(gcs.bucket(f.stack.bucket)), parseWorkspaceUri(f.workspaceUri).feedId, curationSubfeedHash(npSortingId), [
      { type: 'ADD_UNIT_LABEL', unitId: ranked[0], label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: secondSimilar, label: 'noise' },
    ], { user: 'curator@lab.example.org', now: Date.now });
    await openTable({ south: 'TemplateSimilarity' });
    await expect.poll(() => page.locator('#curation-log-info').textContent(), { timeout: 30_000 }).toContain('2 actions');
    // The panel's button keeps the focus: Space then is the wizard's key, not a second click of the button.
    await page.locator('#wizard-best').click();
    await expect.poll(selectedRows).toEqual([ranked[1]]);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await page.locator('#wizard-status').textContent())! + ((await page.locator('#wizard-message').count()) ? ' | message' : ''), { timeout: 60_000 })
      .toMatch(new RegExp(`^Best unit ${ranked[1]}( · most similar: \\d+| · 0 of 0 similar units shown \\| message)`));
    const status = (await page.locator('#wizard-status').textContent())!;
    const similar = /most similar: (\d+)/.exec(status)?.[1];
    expect(Number(similar)).not.toBe(secondSimilar);
    expect(await selectedRows()).toEqual(sorted(similar ? [ranked[1], Number(similar)] : [ranked[1]]));
    await shot('navigation-wizard-labelled');
  }, 180_000);

  it('the cross-correlogram matrix of 20 units keeps readable cells, scrolls, and keeps its unit ids in view', async () => {
    const ids = units().slice(0, 20).map((u) => u.id);
    expect(ids).toHaveLength(20);
    await page.goto(f.url({ sorting: npSortingId, north: 'UnitsTable', south: 'CrossCorrelograms', units: ids.join(',') }));
    const scroll = page.locator('.ccg-scroll');
    await expect.poll(() => scroll.count(), { timeout: 90_000 }).toBe(1);
    const cell = Number(await scroll.getAttribute('data-cell-px'));
    expect(cell).toBeGreaterThanOrEqual(MIN_CELL_PX);
    const canvas = (await page.locator('.ccg-canvas').boundingBox())!;
    expect(canvas.width).toBe(20 * cell);
    expect(canvas.height).toBe(20 * cell);
    // Drawn: bars in the cells.
    const ink = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.ccg-canvas')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++;
      return n;
    });
    expect(ink).toBeGreaterThan(20 * 20 * 50);
    // Unit ids on the columns and the rows, in the selection's order.
    const labels = (sel: string) => page.locator(`${sel} .ccg-label`).evaluateAll((els) => els.map((e) => Number(e.textContent)));
    expect(await labels('.ccg-col-labels')).toEqual(sorted(ids));
    expect(await labels('.ccg-row-labels')).toEqual(sorted(ids));
    const fits = await scroll.evaluate((el) => ({ h: el.scrollHeight > el.clientHeight }));
    expect(fits.h).toBe(true); // 20 rows of readable cells do not fit the lower area: it scrolls
    await shot('navigation-ccg-20');
    // Scrolled to the bottom right, the column ids stay at the top and the row ids at the left.
    await scroll.evaluate((el) => { el.scrollTop = el.scrollHeight; el.scrollLeft = el.scrollWidth; });
    const box = (await scroll.boundingBox())!;
    await expect.poll(async () => (await page.locator('.ccg-col-labels').boundingBox())!.y).toBeCloseTo(box.y, 0);
    expect((await page.locator('.ccg-row-labels').boundingBox())!.x).toBeCloseTo(box.x, 0);
    const lastRowLabel = (await page.locator(`.ccg-row-labels .ccg-label[data-unit-id="${sorted(ids).at(-1)}"]`).boundingBox())!;
    expect(lastRowLabel.y + lastRowLabel.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(lastRowLabel.height).toBe(cell);
    await shot('navigation-ccg-20-scrolled');
  }, 180_000);
});
