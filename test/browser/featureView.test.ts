import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureSpaceRequest } from '../../core/tasks/contracts/featureSpace';
import { KacheryStore } from '../../relay/data/kachery';
import { createOpenFile } from '../../relay/data/openFile';
import { DataRoots } from '../../relay/data/roots';
import { openSorting } from '../../relay/formats';
import { type AppFixture, closeFixture, openAppPage, runCli, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * Issue 18 item 2 in real Chromium at 1600×1000 against the local stack: the feature view (phy's
 * FeatureView) with three selected units in one PC space. What is drawn is checked against the
 * task's own result, fetched here with the CLI (`sortingview task sortingview.fetch_feature_space.1`,
 * the same kwargs the page sends): points per unit, axis names with the explained variance, and axis
 * ranges from the 0.5–99.5th percentiles of the shown features, computed here by a plain sort.
 */
let f: AppFixture;
let browser: Browser;
let page: Page;
let trains: Map<number, Float64Array>;
const FS = 30000;

interface Plain { channel_ids: number[]; spike_counts: number[]; timepoints: number[]; features: number[][][]; explained_variance: number[]; explained_variance_ratio: number[] }

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture(), launchChromium()]);
  const open = createOpenFile({ store: new KacheryStore(f.demo.kacheryStorageDir), roots: await DataRoots.create([f.demo.outDir]) });
  const s = await openSorting(f.demo.mda.sorting, open);
  expect(s.sampleRateHz).toBe(FS);
  trains = new Map(s.unitIds.map((u) => [u, Float64Array.from(s.spikeTrain(u))]));
  page = await openAppPage(browser);
}, 180_000);
afterAll(() => closeFixture(browser, f));

const shot = (name: string) => page.screenshot({ path: `test-results/${name}.png` });
const nums = (s: string | null) => (s ? s.split(',').map(Number) : []);
const canvas = () => page.locator('.feature-canvas');
const attr = (name: string) => canvas().getAttribute(name);

/** numpy's default percentile (linear between ranks), written out again here. */
function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}
const expectedRange = (v: number[]) => {
  const [a, b] = [pct(v, 0.5), pct(v, 99.5)];
  return { percentiles: [a, b], range: [a - 0.05 * (b - a), b + 0.05 * (b - a)] };
};
const expectCloseList = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], Math.max(0, 6 - Math.ceil(Math.log10(Math.abs(expected[i]) + 1)))));
};

/** Drawn pixels (not transparent, not near-white) of the canvas inside a box in CSS pixels. */
function inkOf(box: { x0: number; x1: number; y0: number; y1: number }): Promise<number> {
  return page.evaluate((box) => {
    const c = document.querySelector('.feature-canvas') as HTMLCanvasElement;
    const k = c.width / c.getBoundingClientRect().width;
    const d = c.getContext('2d')!.getImageData(Math.round(box.x0 * k), Math.round(box.y0 * k), Math.round((box.x1 - box.x0) * k), Math.round((box.y1 - box.y0) * k)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
    return n;
  }, box);
}
const pixels = () => page.evaluate(() => (document.querySelector('.feature-canvas') as HTMLCanvasElement).toDataURL());

describe('feature view', () => {
  it('three units in one PC space: points per unit, axis names, percentile ranges; another axis redraws', async () => {
    // The three units with the most spikes.
    const units = [...trains.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 3).map(([u]) => u);
    await page.goto(f.url({ sorting: f.sortingId, north: 'UnitsTable', south: 'FeatureView', units: units.join(',') }));
    await expect.poll(() => attr('data-points-per-unit'), { timeout: 90_000 }).not.toBeNull();
    const shownUnits = nums(await attr('data-units'));
    expect([...shownUnits].sort((a, b) => a - b)).toEqual([...units].sort((a, b) => a - b));

    // The task's result, as the CLI gets it for the page's kwargs.
    const state = JSON.parse(await runCli(['workspace', 'show', f.workspaceUri, '--json'], f.cliEnv, process.cwd())) as { sortings: { sortingId: string; recordingPath: string; sortingPath: string }[] };
    const entry = state.sortings.find((s) => s.sortingId === f.sortingId)!;
    const spec = featureSpaceRequest({ recordingUri: entry.recordingPath, sortingUri: entry.sortingPath }, shownUnits);
    const r = JSON.parse(await runCli(['task', spec.functionId, '--kwargs', JSON.stringify(spec.kwargs)], f.cliEnv, process.cwd())) as Plain;
    const N = r.timepoints.length;
    expect(r.spike_counts.reduce((a, b) => a + b, 0)).toBe(N);
    // Every spike of these units whose snippet lies inside the recording (up to 1000 each), none lost on the way.
    shownUnits.forEach((u, k) => {
      const inside = Array.from(trains.get(u)!).filter((t) => t - 50 >= 0 && t + 80 <= f.demo.mda.numFrames).length;
      expect(r.spike_counts[k]).toBe(Math.min(1000, inside));
    });
    expect(nums(await attr('data-points-per-unit'))).toEqual(r.spike_counts);
    expect(nums(await attr('data-channel-ids'))).toEqual(r.channel_ids);
    expect(r.channel_ids.length).toBe(15); // 16 channels: every unit's neighbourhood of 15
    expect(r.explained_variance_ratio[0]).toBeGreaterThan(r.explained_variance_ratio[1]);

    // Default axes: channel 0's PC1 against channel 1's PC1, named with their share of the variance.
    const name = (c: number, p: number) => { const v = r.explained_variance_ratio[p - 1]; return `ch ${r.channel_ids[c]} · PC${p} (${(100 * v).toFixed(v >= 0.1 ? 0 : 1)} % var.)`; };
    expect(await attr('data-x-label')).toBe(name(0, 1));
    expect(await attr('data-y-label')).toBe(name(1, 1));
    const feat = (c: number, p: number) => r.features.map((s) => s[c][p - 1]);
    // Channel 0 is the first unit's peak: its spikes lie furthest right there (positive PC1, Kilosort's sign).
    const medianOf = (k: number, c: number) => { const start = r.spike_counts.slice(0, k).reduce((a, b) => a + b, 0); return pct(feat(c, 1).slice(start, start + r.spike_counts[k]), 50); };
    expect(medianOf(0, 0)).toBeGreaterThan(0);
    for (let k = 1; k < shownUnits.length; k++) expect(medianOf(0, 0)).toBeGreaterThan(medianOf(k, 0));
    const checkRanges = async (xs: number[], ys: number[]) => {
      const ex = expectedRange(xs);
      const ey = expectedRange(ys);
      expectCloseList(nums(await attr('data-x-percentiles')), ex.percentiles);
      expectCloseList(nums(await attr('data-y-percentiles')), ey.percentiles);
      expectCloseList(nums(await attr('data-x-range')), ex.range);
      expectCloseList(nums(await attr('data-y-range')), ey.range);
      // Points outside either range sit on the edge; there are some (1 % of each axis at most), not many.
      let out = 0;
      for (let i = 0; i < N; i++) if (xs[i] < ex.range[0] || xs[i] > ex.range[1] || ys[i] < ey.range[0] || ys[i] > ey.range[1]) out++;
      expect(Number(await attr('data-num-clipped'))).toBe(out);
      expect(out).toBeLessThanOrEqual(Math.ceil(0.02 * N));
      return { ex, ey };
    };
    const { ex, ey } = await checkRanges(feat(0, 1), feat(1, 1));
    // Robust: the range is inside the features' extent when there are outliers beyond the percentiles.
    expect(ex.range[1] - ex.range[0]).toBeLessThanOrEqual((Math.max(...feat(0, 1)) - Math.min(...feat(0, 1))) * 1.1 + 1e-6);

    // Points in the plot, the legend top right, the axis names under and left of it.
    const [bx, by, bw, bh] = nums(await attr('data-plot-box'));
    expect(await inkOf({ x0: bx + 2, x1: bx + bw - 200, y0: by + 60, y1: by + bh - 2 })).toBeGreaterThan(500);
    expect(await inkOf({ x0: bx + bw - 150, x1: bx + bw - 10, y0: by + 8, y1: by + 50 })).toBeGreaterThan(100);
    expect(await inkOf({ x0: bx + bw / 2 - 40, x1: bx + bw / 2 + 40, y0: by + bh + 18, y1: by + bh + 34 })).toBeGreaterThan(30);
    expect(await inkOf({ x0: 10, x1: 24, y0: by + bh / 2 - 40, y1: by + bh / 2 + 40 })).toBeGreaterThan(30);
    await shot('feature-view');

    // A click on a point puts the page's time cursor on that spike (one within a few pixels of the click).
    const toPx = (vx: number, vy: number) => [bx + ((vx - ex.range[0]) / (ex.range[1] - ex.range[0])) * bw, by + bh - ((vy - ey.range[0]) / (ey.range[1] - ey.range[0])) * bh];
    const xs0 = feat(0, 1);
    const ys0 = feat(1, 1);
    const i0 = xs0.findIndex((v, i) => v > ex.percentiles[0] && v < ex.percentiles[1] && ys0[i] > ey.percentiles[0] && ys0[i] < ey.percentiles[1]);
    const [cx, cy] = toPx(xs0[i0], ys0[i0]);
    await canvas().click({ position: { x: cx, y: cy } });
    await expect.poll(() => new URL(page.url()).searchParams.get('cur'), { timeout: 5_000 }).not.toBeNull();
    const cur = Number(new URL(page.url()).searchParams.get('cur'));
    const near = r.timepoints.filter((_, i) => { const [px, py] = toPx(xs0[i], ys0[i]); return (px - cx) ** 2 + (py - cy) ** 2 <= 64; });
    expect(near).toContain(cur);

    // x: time. The drawing changes; the range is the percentiles of the spike times in seconds.
    const before = await pixels();
    await page.locator('#feature-x').selectOption('time');
    await expect.poll(() => attr('data-x-axis')).toBe('time');
    expect(await attr('data-x-label')).toBe('time (s)');
    expect(await pixels()).not.toBe(before);
    await checkRanges(r.timepoints.map((t) => t / FS), feat(1, 1));
    // x: the third channel's PC2.
    await page.locator('#feature-x').selectOption({ label: name(2, 2) });
    await expect.poll(() => attr('data-x-axis')).toBe(`ch${r.channel_ids[2]}:pc2`);
    await checkRanges(feat(2, 2), feat(1, 1));
    // Swap: y gets the channel's PC2, x channel 1's PC1.
    await page.locator('#feature-swap').click();
    await expect.poll(() => attr('data-y-axis')).toBe(`ch${r.channel_ids[2]}:pc2`);
    expect(await attr('data-x-label')).toBe(name(1, 1));
    await checkRanges(feat(1, 1), feat(2, 2));
    await shot('feature-view-pc2');

    // phy's grid: x = dims[column], y = dims[row] with dims 0A 1A 0B 1B (channel 0 or 1, PC1 or PC2), time on the diagonal.
    await page.locator('#feature-grid').click();
    const grid = page.locator('.feature-grid-canvas');
    await expect.poll(() => grid.count()).toBe(1);
    const k = (c: number, p: number) => `ch${r.channel_ids[c]}:pc${p}`;
    const dims = [k(0, 1), k(1, 1), k(0, 2), k(1, 2)];
    expect((await grid.getAttribute('data-grid-axes'))!.split(';')).toEqual(dims.flatMap((y, i) => dims.map((x, j) => `${i === j ? 'time' : x}|${y}`)));
    expect(nums(await grid.getAttribute('data-points-per-cell'))).toEqual(new Array(16).fill(N));
    const boxes = JSON.parse((await grid.getAttribute('data-grid-boxes'))!) as number[][];
    for (const [x, y, w, h] of boxes) {
      const ink = await page.evaluate(({ x, y, w, h }) => {
        const c = document.querySelector('.feature-grid-canvas') as HTMLCanvasElement;
        const q = c.width / c.getBoundingClientRect().width;
        const dd = c.getContext('2d')!.getImageData(Math.round((x + 3) * q), Math.round((y + 3) * q), Math.round((w - 6) * q), Math.round((h - 6) * q)).data;
        let n = 0;
        for (let i = 0; i < dd.length; i += 4) if (dd[i + 3] > 0 && (dd[i] < 235 || dd[i + 1] < 235 || dd[i + 2] < 235)) n++;
        return n;
      }, { x, y, w, h });
      expect(ink).toBeGreaterThan(100);
    }
    // The legend moves to the toolbar: each unit with its spikes.
    for (const [j, u] of shownUnits.entries()) expect(await page.locator(`.feature-legend-item[data-unit-id="${u}"]`).textContent()).toBe(`unit ${u} · ${r.spike_counts[j]}`);
    await shot('feature-view-grid');
    // A click on row 0, column 2 (x = channel 0's PC2, y = its PC1) opens it as the single plot.
    const [gx, gy, gw, gh] = boxes[2];
    await grid.click({ position: { x: gx + gw / 2, y: gy + gh / 2 } });
    await expect.poll(() => attr('data-x-axis')).toBe(k(0, 2));
    expect(await attr('data-y-axis')).toBe(k(0, 1));
    await checkRanges(feat(0, 2), feat(0, 1));

    // Channels typed in: an unknown one is refused with why; then the task's channel_ids, in the order typed.
    const input = page.locator('#feature-channels');
    await input.fill('3, 999');
    await input.press('Enter');
    await expect.poll(() => page.locator('.feature-channels-error').textContent()).toBe('not a channel of the recording: 999');
    const mine = [r.channel_ids[2], r.channel_ids[0], r.channel_ids[5]];
    await input.fill(mine.join(', '));
    await input.press('Enter');
    await expect.poll(() => attr('data-channel-ids'), { timeout: 60_000 }).toBe(mine.join(','));
    const spec2 = featureSpaceRequest({ recordingUri: entry.recordingPath, sortingUri: entry.sortingPath }, shownUnits, mine);
    expect(spec2.kwargs.channel_ids).toEqual(mine);
    const r2 = JSON.parse(await runCli(['task', spec2.functionId, '--kwargs', JSON.stringify(spec2.kwargs)], f.cliEnv, process.cwd())) as Plain;
    expect(r2.channel_ids).toEqual(mine);
    expect(nums(await attr('data-points-per-unit'))).toEqual(r2.spike_counts);
    // The axes keep their channel, now the second one; the values are the new PCA's.
    expect(await attr('data-x-axis')).toBe(`ch${mine[1]}:pc2`);
    expect(await attr('data-y-axis')).toBe(`ch${mine[1]}:pc1`);
    const feat2 = (c: number, p: number) => r2.features.map((q) => q[c][p - 1]);
    await checkRanges(feat2(1, 2), feat2(1, 1));
    // An axis on a channel that is gone falls back to phy's default on the new channels.
    await input.fill(mine.slice(0, 1).concat(mine.slice(2)).join(' '));
    await input.press('Enter');
    await expect.poll(() => attr('data-channel-ids'), { timeout: 60_000 }).toBe(`${mine[0]},${mine[2]}`);
    expect([await attr('data-x-axis'), await attr('data-y-axis')]).toEqual([`ch${mine[0]}:pc1`, `ch${mine[2]}:pc1`]);
    await shot('feature-view-channels');
  }, 240_000);
});
