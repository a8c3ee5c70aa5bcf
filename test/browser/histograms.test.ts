import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KacheryStore } from '../../relay/data/kachery';
import { createOpenFile } from '../../relay/data/openFile';
import { DataRoots } from '../../relay/data/roots';
import { openSorting } from '../../relay/formats';
import { type AppFixture, closeFixture, openAppPage, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * Issue 18 item 5 in real Chromium at 1600×1000 against the local stack: the ISI histograms, the
 * firing rate over time and the amplitude histogram beside the spike amplitudes. What is drawn is
 * checked against counts computed here from the sorting's own file (the MDA firings the relay
 * serves, read with the relay's reader): each canvas carries its bin counts as data attributes, and
 * its bars, axes and labels are ink on the canvas.
 */
let f: AppFixture;
let browser: Browser;
let page: Page;
let trains: Map<number, Float64Array>;
const FS = 30000;

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture(), launchChromium()]);
  const open = createOpenFile({ store: new KacheryStore(f.demo.kacheryStorageDir), roots: await DataRoots.create([f.demo.outDir]) });
  const s = await openSorting(f.demo.mda.sorting, open);
  expect(s.sampleRateHz).toBe(FS);
  trains = new Map(s.unitIds.map((u) => [u, Float64Array.from(s.spikeTrain(u)).sort()]));
  page = await openAppPage(browser);
}, 180_000);
afterAll(() => closeFixture(browser, f));

const shot = (name: string) => page.screenshot({ path: `test-results/${name}.png` });
/** The two units with the most spikes. */
const busiest = () => [...trains.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 2).map(([u]) => u).sort((a, b) => a - b);
const nums = (s: string | null) => (s ? s.split(',').map(Number) : []);

/** Drawn pixels (not transparent, not near-white) of a canvas, optionally inside a box in CSS pixels. */
function inkOf(selector: string, box?: { x0: number; x1: number; y0: number; y1: number }): Promise<number> {
  return page.evaluate(({ sel, box }) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c || !c.width || !c.height) return 0;
    const k = c.width / c.getBoundingClientRect().width;
    const [x0, x1, y0, y1] = box ? [box.x0, box.x1, box.y0, box.y1].map((v) => Math.round(v * k)) : [0, c.width, 0, c.height];
    const d = c.getContext('2d')!.getImageData(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;
  }, { sel: selector, box });
}

/** ISIs of a train in [k·b, (k+1)·b) frames, k < n, by a plain loop. */
function isiCounts(t: Float64Array, binFrames: number, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (let i = 1; i < t.length; i++) {
    const k = Math.floor((t[i] - t[i - 1]) / binFrames);
    if (k < n) out[k]++;
  }
  return out;
}

describe('ISI histograms', () => {
  it('show each selected unit\'s ISIs in 0.5 ms bins to 50 ms, as counted from the sorting, with the refractory period', async () => {
    const units = busiest();
    await page.goto(f.url({ sorting: f.sortingId, north: 'UnitsTable', south: 'IsiHistograms', units: units.join(',') }));
    await expect.poll(() => page.locator('.isi-canvas').count(), { timeout: 60_000 }).toBe(2);
    for (const u of units) {
      const c = page.locator(`.isi-canvas[data-unit-id="${u}"]`);
      const t = trains.get(u)!;
      expect(Number(await c.getAttribute('data-bin-size-msec'))).toBe(0.5);
      const counts = nums(await c.getAttribute('data-bin-counts'));
      expect(counts).toEqual(isiCounts(t, 15, 100));
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(20); // bars to draw
      expect(Number(await c.getAttribute('data-num-isis'))).toBe(t.length - 1);
      let above = 0;
      let below = 0;
      for (let i = 1; i < t.length; i++) {
        if (t[i] - t[i - 1] >= 1500) above++;
        if (t[i] - t[i - 1] < 75) below++; // 2.5 ms at 30 kHz
      }
      expect(Number(await c.getAttribute('data-num-above'))).toBe(above);
      expect(Number(await c.getAttribute('data-refractory-msec'))).toBe(2.5);
      const summary = (await page.locator(`.unit-cell[data-unit-id="${u}"] .isi-summary`).textContent())!;
      expect(summary).toContain(`${below} of ${t.length - 1} ISIs < 2.5 ms`);
      expect([await c.getAttribute('data-x-label'), await c.getAttribute('data-y-label')]).toEqual(['ISI (ms)', 'ISIs / bin']);
      // Bars inside the plot, tick labels under it and the axis title at the bottom.
      const { width, height } = (await c.boundingBox())!;
      expect(await inkOf(`.isi-canvas[data-unit-id="${u}"]`, { x0: 50, x1: width - 10, y0: 10, y1: height - 36 })).toBeGreaterThan(300);
      expect(await inkOf(`.isi-canvas[data-unit-id="${u}"]`, { x0: width / 2 - 30, x1: width / 2 + 30, y0: height - 14, y1: height })).toBeGreaterThan(20);
    }
    await shot('histograms-isi');
    // Another range: 1 ms bins to 50 ms, counted again.
    await page.locator('#isi-range').selectOption({ label: '0–50 ms, 1 ms bins' });
    const u = units[0];
    await expect.poll(() => page.locator(`.isi-canvas[data-unit-id="${u}"]`).getAttribute('data-bin-size-msec'), { timeout: 30_000 }).toBe('1');
    expect(nums(await page.locator(`.isi-canvas[data-unit-id="${u}"]`).getAttribute('data-bin-counts'))).toEqual(isiCounts(trains.get(u)!, 30, 50));
    // Nothing selected: every unit, each with its own counts.
    await page.goto(f.url({ sorting: f.sortingId, north: 'UnitsTable', south: 'IsiHistograms' }));
    await expect.poll(() => page.locator('.isi-canvas').count(), { timeout: 60_000 }).toBe(trains.size);
    for (const [v, t] of trains) expect(nums(await page.locator(`.isi-canvas[data-unit-id="${v}"]`).getAttribute('data-bin-counts'))).toEqual(isiCounts(t, 15, 100));
    await shot('histograms-isi-all');
  }, 180_000);
});

describe('firing rate over time', () => {
  it('shows spikes/s per time bin over the whole recording for each selected unit, as counted from the sorting', async () => {
    const units = busiest();
    await page.goto(f.url({ sorting: f.sortingId, north: 'UnitsTable', south: 'FiringRates', units: units.join(',') }));
    await expect.poll(() => page.locator('.firing-rate-canvas').count(), { timeout: 60_000 }).toBe(2);
    const durationSec = f.demo.mda.numFrames / FS;
    const check = async (binSec: number) => {
      const n = Math.floor(durationSec / binSec);
      for (const u of units) {
        const c = page.locator(`.firing-rate-canvas[data-unit-id="${u}"]`);
        const t = trains.get(u)!;
        const expected = new Array<number>(n).fill(0);
        for (const fr of t) expected[Math.min(n - 1, Math.floor(fr / (binSec * FS)))]++;
        expect(nums(await c.getAttribute('data-counts'))).toEqual(expected);
        const rates = nums(await c.getAttribute('data-rates-hz'));
        rates.forEach((r, k) => expect(r).toBeCloseTo(expected[k] / binSec, 3));
        expect(nums(await c.getAttribute('data-edges-sec')).at(-1)).toBeCloseTo(durationSec, 9);
        expect(Number(await c.getAttribute('data-num-spikes'))).toBe(t.length);
        expect(await c.getAttribute('data-y-label')).toBe('spikes/s');
        const { width, height } = (await c.boundingBox())!;
        expect(await inkOf(`.firing-rate-canvas[data-unit-id="${u}"]`, { x0: 62, x1: width - 18, y0: 24, y1: height - 36 })).toBeGreaterThan(500);
        // The y axis title left of the ticks.
        expect(await inkOf(`.firing-rate-canvas[data-unit-id="${u}"]`, { x0: 18, x1: 32, y0: height / 2 - 25, y1: height / 2 + 25 })).toBeGreaterThan(20);
      }
      expect(await page.locator('.firing-rate-canvas').last().getAttribute('data-x-label')).toBe('time (s)');
    };
    expect(Number(await page.locator('.firing-rate-canvas').first().getAttribute('data-bin-size-sec'))).toBe(0.1); // about 50 bins of 4 s
    await check(0.1);
    await shot('histograms-firing-rate');
    await page.locator('#firing-rate-bin').selectOption('1');
    await expect.poll(() => page.locator('.firing-rate-canvas').first().getAttribute('data-bin-size-sec'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.locator('.firing-rate-canvas').count()).toBe(2);
    await check(1);
    // A click in a row puts the time cursor there (the page's, in the URL as cur=<frame>).
    const first = page.locator('.firing-rate-canvas').first();
    const b = (await first.boundingBox())!;
    const plotW = b.width - 60 - 16;
    await first.click({ position: { x: 60 + plotW / 2, y: b.height / 2 } });
    await expect.poll(() => Math.abs(Number(new URL(page.url()).searchParams.get('cur')) - f.demo.mda.numFrames / 2), { timeout: 5_000 })
      .toBeLessThan(2 * (f.demo.mda.numFrames / plotW));
  }, 180_000);
});

describe('amplitude histogram', () => {
  it('beside the amplitudes, on their axis: the spikes of the visible time window, per unit', async () => {
    const units = busiest();
    await page.goto(f.url({ sorting: f.sortingId, north: 'SpikeAmplitudes', south: 'IsiHistograms', units: units.join(',') }));
    const c = page.locator('.amplitudes-canvas');
    await expect.poll(() => c.getAttribute('data-hist-units'), { timeout: 60_000 }).toBe(units.join(','));
    const hist = async () => JSON.parse((await c.getAttribute('data-hist-counts'))!) as number[][];
    const sums = async () => (await hist()).map((h) => h.reduce((a, b) => a + b, 0));
    // The whole recording: every spike that has an amplitude (a few at the recording's edges have no window).
    expect((await sums()).reduce((a, b) => a + b, 0)).toBe(Number(await c.getAttribute('data-points')));
    (await sums()).forEach((s, i) => expect(s).toBeGreaterThan(trains.get(units[i])!.length - 4));
    // The MDA recording has no gain: its own units (µV when the recording has a gain).
    expect(await c.getAttribute('data-y-label')).toMatch(/^amplitude \((µV|raw units)\)$/);
    expect(await c.getAttribute('data-hist-x-label')).toBe('spikes / bin');
    const { width, height } = (await c.boundingBox())!;
    const histW = Number(await c.getAttribute('data-hist-width'));
    const panel = { x0: width - 12 - histW + 2, x1: width - 14, y0: 10, y1: height - 38 };
    expect(await inkOf('.amplitudes-canvas', panel)).toBeGreaterThan(400);
    // Bins with spikes in both units, not all in one bin.
    for (const h of await hist()) expect(h.filter((x) => x > 0).length).toBeGreaterThan(2);
    await shot('histograms-amplitudes');
    // Zoomed into the middle of the recording: only the spikes in view, counted from the sorting.
    const box = (await c.boundingBox())!;
    await page.mouse.move(box.x + 56 + (box.width - 56 - 12 - 176) / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(100);
    }
    await expect.poll(async () => nums(await c.getAttribute('data-time-range'))[1] - nums(await c.getAttribute('data-time-range'))[0]).toBeLessThan(2.5);
    const [t0, t1] = nums(await c.getAttribute('data-time-range'));
    expect(t0).toBeGreaterThan(0.2);
    expect(t1).toBeLessThan(f.demo.mda.numFrames / FS - 0.2);
    const inView = units.map((u) => Array.from(trains.get(u)!).filter((fr) => fr / FS >= t0 && fr / FS <= t1).length);
    await expect.poll(sums).toEqual(inView);
    expect(inView[0]).toBeLessThan(trains.get(units[0])!.length);
    await shot('histograms-amplitudes-zoomed');
  }, 180_000);
});
