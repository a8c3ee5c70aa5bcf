import { Storage } from '@google-cloud/storage';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessages, curationSubfeedHash, parseWorkspaceUri } from '../../core/feeds';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { type AppFixture, closeFixture, openAppPage, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * The GUI in real Chromium against the whole local system: demo data served by a relay, a workspace
 * made with the CLI, every view asking real tasks. Assertions are on what is drawn and shown.
 */
let f: AppFixture;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture(), launchChromium()]);
  page = await openAppPage(browser, { width: 1500, height: 950 });
}, 120_000);
afterAll(() => closeFixture(browser, f));

/** Pixels of a canvas that are drawn (not transparent, not white). */
function inkOf(p: Page, selector: string): Promise<number> {
  return p.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c || !c.width || !c.height) return 0;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;
  }, selector);
}

const shot = (name: string) => page.screenshot({ path: `test-results/${name}.png` });
const sortingUrl = (params: Record<string, string> = {}) => f.url({ sorting: f.sortingId, ...params });
const units = () => f.demo.mda.units.filter((u) => u.numSpikes > 0);

describe('workspace page', () => {
  it('lists the recording (from recording_info.3), its sortings with unit counts, and the CLI commands for this workspace', async () => {
    await page.goto(f.url());
    const row = page.locator(`#recordings-table tr[data-recording-id="${f.recordingId}"]`);
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('30000');
    const text = (await row.textContent())!;
    expect(text).toContain('demo-mda');
    expect(text).toContain('16');
    expect(text).toContain((f.demo.mda.numFrames / 30000 / 60).toFixed(3));
    await expect.poll(() => row.textContent()).toContain(`ground-truth (${units().length} units)`);
    expect(await page.locator('#workspace-title').textContent()).toBe(f.workspaceLabel);
    const instructions = (await page.locator('#import-instructions').textContent())!;
    expect(instructions).toContain(`sortingview workspace add-recording ${f.workspaceUri}`);
    expect(instructions).toContain(`--recording-id ${f.recordingId}`);
    expect(instructions).toContain(`SORTINGVIEW_BACKEND=${f.stack.backendUri}`);
    await shot('workspace');
  });

  it('says what is wrong with a bad workspace URI or an unknown sorting', async () => {
    await page.goto(`${f.stack.webUrl}/?backend=${encodeURIComponent(f.stack.backendUri)}&workspace=workspace://abc`);
    await expect.poll(() => page.locator('#workspace-error').textContent()).toMatch(/must be 64 hex digits/);
    await page.goto(`${f.stack.webUrl}/?backend=${encodeURIComponent(f.stack.backendUri)}&workspace=workspace://${'0'.repeat(64)}`);
    await expect.poll(() => page.locator('#workspace-error').textContent()).toMatch(/Unknown workspace/);
    await page.goto(`${f.stack.webUrl}/?backend=nonsense&workspace=${encodeURIComponent(f.workspaceUri)}`);
    await expect.poll(() => page.locator('#workspace-error').textContent()).toMatch(/Not a Backend URI: "nonsense"/);
    await page.goto(f.url({ sorting: 'S-000000000000' }));
    await expect.poll(() => page.locator('#sorting-error').textContent()).toMatch(/no sorting S-000000000000.*ground-truth/);
  });
});

describe('sorting page', () => {
  it('units table: a row per unit with its metrics; waveforms drawn', async () => {
    await page.goto(sortingUrl());
    const rows = page.locator('.ut-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(units().length);
    const u = units()[0];
    const first = page.locator(`.ut-row[data-unit-id="${u.id}"]`);
    // Num. events = the ground truth's spike count; metrics arrive from units_summary.1.
    await expect.poll(() => first.locator('.ut-cell.num').first().textContent(), { timeout: 30_000 }).toBe(String(u.numSpikes));
    await expect.poll(() => page.locator('.waveform-canvas').count(), { timeout: 30_000 }).toBe(units().length);
    await expect.poll(() => inkOf(page, `.waveform-canvas[data-unit-id="${u.id}"]`), { timeout: 30_000 }).toBeGreaterThan(200);
    await shot('sorting-units-table');
  });

  it('sorts by any column', async () => {
    await page.locator('.ut-header [data-sort-key="count"]').click();
    const ids = await page.locator('.ut-row').evaluateAll((els) => els.sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top)).map((e) => Number(e.getAttribute('data-unit-id'))));
    const expected = [...units()].sort((a, b) => b.numSpikes - a.numSpikes || a.id - b.id).map((x) => x.id);
    expect(ids).toEqual(expected);
    await page.locator('.ut-header [data-sort-key="unitId"]').click();
  });

  it('Shift-click selects the rows between, in the table\'s sort order; Ctrl+Shift adds a range', async () => {
    await page.locator('.ut-header [data-sort-key="count"]').click();
    const order = [...units()].sort((a, b) => b.numSpikes - a.numSpikes || a.id - b.id).map((x) => x.id);
    await page.locator(`.ut-row[data-unit-id="${order[1]}"]`).click();
    await page.locator(`.ut-row[data-unit-id="${order[4]}"]`).click({ modifiers: ['Shift'] });
    const shown = (ids: number[]) => `Selected units: ${[...ids].sort((a, b) => a - b).join(', ')}`;
    await expect.poll(() => page.locator('#selected-units').textContent()).toBe(shown(order.slice(1, 5)));
    await page.locator(`.ut-row[data-unit-id="${order[7]}"]`).click({ modifiers: ['Control'] });
    await page.locator(`.ut-row[data-unit-id="${order[6]}"]`).click({ modifiers: ['Control', 'Shift'] });
    await expect.poll(() => page.locator('#selected-units').textContent()).toBe(shown([...order.slice(1, 5), order[6], order[7]]));
    await page.locator('.ut-header [data-sort-key="unitId"]').click();
  });

  it('selection in the units table reaches the other views', async () => {
    const [a, b] = units();
    await page.locator(`.ut-row[data-unit-id="${a.id}"]`).click();
    await page.locator(`.ut-row[data-unit-id="${b.id}"] .unit-checkbox`).check();
    expect(await page.locator('#selected-units').textContent()).toBe(`Selected units: ${a.id}, ${b.id}`);
    // Average waveforms now show just the selection.
    await expect.poll(() => page.locator('.waveform-canvas').count()).toBe(2);
    // Autocorrelograms (opened from the panel) show the same two units.
    await page.locator('[data-launch="Autocorrelograms"]').click();
    // Each cell is its own task, so the two canvases can appear in either order.
    for (const u of [a, b]) await expect.poll(() => inkOf(page, `.acg-canvas[data-unit-id="${u.id}"]`), { timeout: 30_000 }).toBeGreaterThan(50);
    expect(await page.locator('.acg-canvas').count()).toBe(2);
    // Select all, then the cross-correlogram matrix of all of them.
    const t = await page.evaluate(() => {
      const t0 = performance.now();
      (document.querySelector('#units-select-all') as HTMLInputElement).click();
      return new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t0)));
    });
    console.log(`select-all of ${units().length} units with the table and autocorrelograms open: ${t.toFixed(1)} ms`);
    expect(await page.locator('.ut-row.selected').count()).toBe(units().length);
    await page.locator('[data-launch="CrossCorrelograms"]').click();
    await expect.poll(() => inkOf(page, '.ccg-canvas'), { timeout: 30_000 }).toBeGreaterThan(2000);
    await shot('sorting-selection');
  });

  it('raw traces: drawn by the worker, min/max when zoomed out, raw samples zoomed in, spike markers of the selected units', async () => {
    const [a] = units();
    await page.goto(sortingUrl({ north: 'Traces', south: 'ElectrodeGeometry', units: String(a.id) }));
    const canvas = page.locator('.traces-canvas');
    await expect.poll(() => inkOf(page, '.traces-canvas'), { timeout: 30_000 }).toBeGreaterThan(5000);
    await expect.poll(() => canvas.getAttribute('data-segments-missing'), { timeout: 30_000 }).toBe('0');
    expect(Number(await canvas.getAttribute('data-ds-factor'))).toBeGreaterThan(1);
    expect(await canvas.getAttribute('data-renderer')).toBe('worker');
    await expect.poll(() => canvas.getAttribute('data-markers'), { timeout: 30_000 }).not.toBe('0');
    for (let i = 0; i < 4; i++) await page.locator('#traces-zoom-in').click();
    await expect.poll(() => canvas.getAttribute('data-ds-factor')).toBe('1');
    await expect.poll(() => canvas.getAttribute('data-segments-missing'), { timeout: 30_000 }).toBe('0');
    expect(Number(await canvas.getAttribute('data-points-drawn'))).toBeGreaterThan(100);
    // Keys shift the shared time range; the whole-recording button shows everything as min/max.
    const before = await canvas.getAttribute('data-range');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => canvas.getAttribute('data-range')).not.toBe(before);
    // The mouse wheel zooms about the pointer and, sideways, pans (it was once never attached).
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(60, box.height / 2));
    const beforeWheel = await canvas.getAttribute('data-range');
    await page.mouse.wheel(0, 100);
    await expect.poll(() => canvas.getAttribute('data-range')).not.toBe(beforeWheel);
    const afterZoom = await canvas.getAttribute('data-range');
    await page.mouse.wheel(-100, 0);
    await expect.poll(() => canvas.getAttribute('data-range')).not.toBe(afterZoom);
    await page.locator('#traces-all').click();
    await expect.poll(() => canvas.getAttribute('data-range')).toBe(`0-${f.demo.mda.numFrames}`);
    await expect.poll(() => canvas.getAttribute('data-segments-missing'), { timeout: 30_000 }).toBe('0');
    expect(Number(await canvas.getAttribute('data-ds-factor'))).toBeGreaterThanOrEqual(27);
    // Filtered view: the backend band-passes; the toggle re-asks for the segments.
    await page.locator('#traces-filter').check();
    await expect.poll(() => page.url()).toContain('filter=bandpass');
    await expect.poll(() => canvas.getAttribute('data-segments-missing'), { timeout: 30_000 }).toBe('0');
    expect(await inkOf(page, '.traces-canvas')).toBeGreaterThan(5000);
    await shot('traces');
  });

  it('electrode geometry: clicking an electrode selects it, and traces show that channel only', async () => {
    await expect.poll(() => inkOf(page, '.geometry-canvas')).toBeGreaterThan(500);
    // Drag a rectangle over the whole probe selects every electrode; a click on empty space clears.
    const box = (await page.locator('.geometry-canvas').boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const selected = (await page.locator('#electrodes-selected').textContent())!;
    const n = Number(/^(\d+) electrodes selected/.exec(selected)?.[1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(16);
    await expect.poll(() => page.locator('#traces-range').textContent()).toContain(`${n}/16 ch`);
    await shot('electrodes');
  });

  it('the other views render their data', async () => {
    const [a, b] = units();
    await page.goto(sortingUrl({ north: 'SpikeAmplitudes,Raster,TemplateSimilarity', south: 'Clusters,UnitComparison', units: `${a.id},${b.id}` }));
    // Every spike of both units is a point (a few at the recording's edges have no full window).
    await expect.poll(async () => Number(await page.locator('.amplitudes-canvas').getAttribute('data-points')), { timeout: 30_000 })
      .toBeGreaterThan(a.numSpikes + b.numSpikes - 6);
    expect(await inkOf(page, '.amplitudes-canvas')).toBeGreaterThan(3000);
    await expect.poll(() => page.locator('.cluster-canvas').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => inkOf(page, '.cluster-canvas'), { timeout: 30_000 }).toBeGreaterThan(500);
    await shot('amplitudes-clusters');
    await page.locator('.area-south [data-view="UnitComparison"]').click();
    await expect.poll(() => inkOf(page, '.pair-canvas'), { timeout: 30_000 }).toBeGreaterThan(500);
    await expect.poll(() => inkOf(page, '.pair-waveforms-canvas'), { timeout: 30_000 }).toBeGreaterThan(200);
    await page.locator('.area-north [data-view="Raster"]').click();
    await expect.poll(() => inkOf(page, '.raster-canvas'), { timeout: 30_000 }).toBeGreaterThan(1000);
    await shot('raster-comparison');
    await page.locator('.area-north [data-view="TemplateSimilarity"]').click();
    await expect.poll(() => inkOf(page, '.similarity-canvas'), { timeout: 30_000 }).toBeGreaterThan(1000);
    expect(await page.locator('.merge-suggestion').count() + await page.locator('#no-merge-suggestions').count()).toBeGreaterThan(0);
    expect(await page.locator('#similarity-legend').textContent()).toBe('01similarity');
    // Lowering the threshold lists more pairs, with no new task; at 0.5 the demo's units have some.
    const count = async () => Number(/^(\d+) pair/.exec((await page.locator('#suggestion-count').textContent())!)![1]);
    const before = await count();
    await page.locator('#similarity-threshold').fill('0.5');
    await expect.poll(() => page.locator('#similarity-threshold-value').textContent()).toBe('0.50');
    const after = await count();
    expect(after).toBeGreaterThan(before);
    expect(await page.locator('.merge-suggestion').count()).toBe(Math.min(after, 100));
    await shot('template-similarity');
  });

  it('a task error is shown in the view, with its message', async () => {
    await page.goto(sortingUrl({ north: 'UnitsTable', south: 'AverageWaveforms', units: '999' }));
    await expect.poll(() => page.locator('.unit-cell[data-unit-id="999"] .task-status.error').textContent(), { timeout: 30_000 }).toMatch(/Unit 999 is not in the sorting/);
  });

  it('shows the curation log read-only: labels, visible-units filters, merges applied; controls disabled and why', async () => {
    const [a, b, c] = units();
    const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: f.stack.storage.url });
    const store = gcsBlobStore(gcs.bucket(f.stack.bucket));
    const { feedId } = parseWorkspaceUri(f.workspaceUri);
    await appendMessages(store, feedId, curationSubfeedHash(f.sortingId), [
      { type: 'ADD_UNIT_LABEL', unitId: a.id, label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: c.id, label: 'reject' },
      { type: 'MERGE_UNITS', unitIds: [b.id, c.id] },
    ], { user: 'curator@lab.example.org', now: Date.now });
    await page.goto(sortingUrl({ north: 'UnitsTable', south: 'AverageWaveforms' }));
    await expect.poll(() => page.locator(`.ut-row[data-unit-id="${a.id}"] .label-chip`).textContent(), { timeout: 30_000 }).toBe('accept');
    expect(await page.locator('#curation-log-info').textContent()).toContain('3 actions');
    expect(await page.locator('#curation-read-only').textContent()).toMatch(/read-only.*sign-in/);
    expect(await page.locator('[data-label="accept"]').isDisabled()).toBe(true);
    expect(await page.locator('#merge-units').isDisabled()).toBe(true);
    await page.locator('input[name="visible-units"][value="accepted"]').check();
    await expect.poll(() => page.locator('.ut-row').count()).toBe(1);
    await page.locator('input[name="visible-units"][value="nonrejected"]').check();
    await expect.poll(() => page.locator('.ut-row').count()).toBe(units().length - 1);
    await page.locator('input[name="visible-units"][value="all"]').check();
    await page.locator('#apply-merges').check();
    await expect.poll(() => page.locator('.ut-row').count()).toBe(units().length - 1);
    const merged = page.locator(`.ut-row[data-unit-id="${Math.min(b.id, c.id)}"]`);
    expect(await merged.textContent()).toContain('+1');
    // The group's own metrics (merge_group_summary.1 on the merged spikes), never a member's: pending, then numbers.
    await expect.poll(() => merged.locator('[data-col="snr"]').textContent(), { timeout: 30_000 }).toMatch(/^\d+\.\d\d$/);
    expect(await merged.locator('[data-col="count"]').textContent()).toBe(String(b.numSpikes + c.numSpikes));
    expect(await merged.locator('[data-col="peak_channel"]').textContent()).toMatch(/^\d+$/);
    expect(await merged.locator('[data-col="isi_violation_rate"]').textContent()).toMatch(/^[\d.e-]+$/);
    // Waveforms of the merged unit come from the group's spikes.
    await page.locator(`.ut-row[data-unit-id="${Math.min(b.id, c.id)}"]`).click();
    const title = page.locator(`.unit-cell[data-unit-id="${Math.min(b.id, c.id)}"] .unit-cell-title`);
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toMatch(/spikes/);
    // (spikes whose window leaves the recording are not averaged)
    expect(Number(/(\d+) spikes/.exec((await title.textContent())!)![1])).toBeGreaterThan(Math.max(b.numSpikes, c.numSpikes) + 2);
    // A curation shortcut explains why nothing happened.
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#status-message').textContent()).toMatch(/read-only/);
    await page.keyboard.press('?');
    await expect.poll(() => page.locator('#help-dialog').textContent()).toContain('Merge the selected units');
    // The descriptions start at one x in every group.
    const lefts = await page.locator('#help-dialog .shortcuts tr:not(.shortcut-group) td:nth-child(2)').evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().left)));
    expect(lefts.length).toBeGreaterThan(10);
    expect(new Set(lefts).size).toBe(1);
    await shot('help-dialog');
    await page.keyboard.press('Escape');
    await shot('curation');
  });

  it('a shared link reproduces the view', async () => {
    const [a, b] = units();
    await page.goto(sortingUrl({ north: 'UnitsTable,Traces', na: '1', south: 'Autocorrelograms', units: `${a.id}` }));
    await expect.poll(() => page.locator('.traces-canvas').getAttribute('data-segments-missing'), { timeout: 30_000 }).toBe('0');
    await page.locator(`.area-north [data-view="UnitsTable"]`).click();
    await page.locator(`.ut-row[data-unit-id="${b.id}"] .unit-checkbox`).check();
    await page.locator('.area-north [data-view="Traces"]').click();
    await page.locator('#traces-zoom-in').click();
    await page.keyboard.press('ArrowUp');
    await page.locator('#copy-link').click();
    await expect.poll(() => page.locator('#share-link').inputValue()).toContain(`units=${a.id}%2C${b.id}`);
    const link = await page.locator('#share-link').inputValue();
    const range = await page.locator('.traces-canvas').getAttribute('data-range');
    const other = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await other.goto(link);
    await expect.poll(() => other.locator('#selected-units').textContent(), { timeout: 30_000 }).toBe(`Selected units: ${a.id}, ${b.id}`);
    expect(await other.locator('.area-north .tab.active').getAttribute('data-view')).toBe('Traces');
    expect(await other.locator('.area-south .tab.active').getAttribute('data-view')).toBe('Autocorrelograms');
    await expect.poll(() => other.locator('.traces-canvas').getAttribute('data-range')).toBe(range);
    await expect.poll(() => inkOf(other, '.traces-canvas'), { timeout: 30_000 }).toBeGreaterThan(5000);
    expect(new URL(link).searchParams.get('amp')).toBe('1.4');
    await other.screenshot({ path: 'test-results/shared-link.png' });
    await other.close();
  });

  it('the task monitor lists each task with its status, duration and cache source', async () => {
    await page.locator('#task-monitor-button').click();
    const rows = page.locator('#task-monitor .task-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const text = (await page.locator('#task-monitor').textContent())!;
    expect(text).toContain('get_timeseries_segment.1');
    expect(text).toMatch(/cached \((bucket|API)\)|computed/);
    // A unit's task shows its unit id whole, before the data URIs (cut to their file names).
    const unitArgs = await page.locator('#task-monitor .task-args').allTextContents();
    await shot('task-monitor');
    expect(unitArgs.some((a) => /unit_ids? [\d[].* · \w+_uri \S+\.json/.test(a)), unitArgs.slice(0, 20).join('\n')).toBe(true);
    expect(unitArgs.every((a) => !/sha1:\/\/[0-9a-f]{40}/.test(a))).toBe(true);
    await shot('task-monitor');
    await page.keyboard.press('Escape');
  });
});

describe('sorting comparison page', () => {
  it('shows each unit\'s best match in the other sorting, and both waveforms of a pair', async () => {
    await page.goto(f.url({ sorting: f.sortingId, compare: f.nwbSortingId }));
    const [a] = units();
    const cell = page.locator(`#comparison-a tr[data-unit-id="${a.id}"] .best-match`);
    await expect.poll(() => cell.textContent(), { timeout: 30_000 }).toBe(String(a.id));
    await page.locator(`#comparison-a tr[data-unit-id="${a.id}"]`).click();
    await expect.poll(() => page.locator(`#comparison-b tr.selected`).getAttribute('data-unit-id')).toBe(String(a.id));
    await expect.poll(() => inkOf(page, '.comparison-waveforms'), { timeout: 30_000 }).toBeGreaterThan(200);
    await shot('comparison');
  });

  it('the agreement matrix: matched pairs on the diagonal with their scores; a cell picks both units, drawn in the sortings\' labelled colours', async () => {
    await page.goto(f.url({ sorting: f.sortingId, compare: f.nwbSortingId }));
    const canvas = page.locator('.agreement-canvas');
    await expect.poll(() => canvas.getAttribute('data-rows'), { timeout: 60_000 }).toBeTruthy();
    const rows = (await canvas.getAttribute('data-rows'))!.split(',').map(Number);
    const cols = (await canvas.getAttribute('data-cols'))!.split(',').map(Number);
    const cell = Number(await canvas.getAttribute('data-cell'));
    const margin = Number(await canvas.getAttribute('data-margin'));
    // The NWB sorting holds the same spikes: every unit with spikes matches itself, first on the diagonal.
    const withSpikes = units().map((u) => u.id);
    expect(rows.slice(0, withSpikes.length).sort((x, y) => x - y)).toEqual([...withSpikes].sort((x, y) => x - y));
    expect(cols.slice(0, withSpikes.length)).toEqual(rows.slice(0, withSpikes.length));
    expect(await page.locator('#agreement-matrix').textContent()).toContain(`${withSpikes.length} pairs match at ≥ 0.5`);
    // Diagonal cells are dark (agreement 1), the cell beside them light.
    const pixel = (r: number, c: number) => canvas.evaluate((el: HTMLCanvasElement, [x, y]) => {
      const k = window.devicePixelRatio || 1;
      return Array.from(el.getContext('2d')!.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data.slice(0, 3));
    }, [margin + (c + 0.2) * cell, margin + (r + 0.2) * cell] as [number, number]);
    expect(await pixel(0, 0)).toEqual([8, 48, 107]);
    expect((await pixel(0, 1))[0]).toBeGreaterThan(200);
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + margin + 0.5 * cell, box.y + margin + 0.5 * cell);
    await expect.poll(() => page.locator('#agreement-hover').textContent()).toBe(
      `A ${rows[0]} × B ${cols[0]}: agreement 1.000 (${units().find((u) => u.id === rows[0])!.numSpikes} matching of ${units().find((u) => u.id === rows[0])!.numSpikes} and ${units().find((u) => u.id === rows[0])!.numSpikes} spikes)`);
    // An off-diagonal cell: two different units, each in its sorting's colour.
    await page.mouse.click(box.x + margin + 1.5 * cell, box.y + margin + 0.5 * cell);
    await expect.poll(() => page.locator('#comparison-a tr.selected').getAttribute('data-unit-id')).toBe(String(rows[0]));
    await expect.poll(() => page.locator('#comparison-b tr.selected').getAttribute('data-unit-id')).toBe(String(cols[1]));
    await expect.poll(() => page.locator('#pair-legend').textContent()).toMatch(new RegExp(`A .*: unit ${rows[0]}.*B .*: unit ${cols[1]}`));
    const colored = (hex: string) => page.locator('.comparison-waveforms').evaluate((el: HTMLCanvasElement, h) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 60 && d[i + 3] > 200) n++;
      return n;
    }, hex);
    await expect.poll(() => colored('#1f6fd1'), { timeout: 30_000 }).toBeGreaterThan(50);
    await expect.poll(() => colored('#e0561b'), { timeout: 30_000 }).toBeGreaterThan(50);
    await shot('comparison-agreement');
  });
});
