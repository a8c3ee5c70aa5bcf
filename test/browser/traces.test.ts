import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { npzSortingBytes } from '../../scripts/demoData/spikeinterfaceSorting';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNeuropixelsSorting, type AppFixture, closeFixture, openAppPage, runCli, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * The traces view on a Neuropixels 1.0 recording (the demo's 384-channel SpikeGLX file with its phy
 * sorting, added with the CLI next to the harness's 16-channel one), in real Chromium: heat-map mode
 * chosen above 64 channels, no blank column at segment seams, a filtered whole-recording view.
 * 6 s of demo data: zoomed out to all of it, the view wants ds 729, the level at which a filtered
 * segment on 384 channels used to be refused (issue 18).
 */
let f: AppFixture;
let browser: Browser;
let page: Page;
let npSortingId: string;
/** A 4-channel NP1.0 recording whose channels carry the same raw sine at imroTbl AP gains 500, 1000, 250, 500. */
let gainsSortingId: string;
const GAINS = [500, 1000, 250, 500];

async function addGainsRecording(): Promise<string> {
  const dir = join(f.demo.outDir, 'gains', 'g_g0', 'g_g0_imec0');
  mkdirSync(dir, { recursive: true });
  const F = 30000;
  const a = new Int16Array(F * 5);
  for (let t = 0; t < F; t++) for (let c = 0; c < 4; c++) a[t * 5 + c] = Math.round(1000 * Math.sin((2 * Math.PI * t) / 300));
  const bin = join(dir, 'g_g0_t0.imec0.ap.bin');
  writeFileSync(bin, new Uint8Array(a.buffer));
  writeFileSync(join(dir, 'g_g0_t0.imec0.ap.meta'), [
    'typeThis=imec', 'imSampRate=30000', 'nSavedChans=5', 'snsApLfSy=4,0,1', 'acqApLfSy=4,4,1', 'snsSaveChanSubset=all', 'imAiRangeMax=0.6', 'imMaxInt=512',
    'imDatPrb_type=0', 'imDatPrb_pn=PRB_1_4_0480_1', `fileSizeBytes=${a.byteLength}`,
    `~imroTbl=(0,4)${GAINS.map((g, c) => `(${c} 0 0 ${g} 250 1)`).join('')}`,
    '~snsChanMap=(4,4,1)(AP0;0:0)(AP1;1:1)(AP2;2:2)(AP3;3:3)(SY0;4:4)',
    '~snsGeomMap=(PRB_1_4_0480_1,1,0,70)(0:27:0:1)(0:59:0:1)(0:11:20:1)(0:43:20:1)',
  ].join('\n') + '\n');
  writeFileSync(join(f.demo.outDir, 'gains', 'sorting.npz'), npzSortingBytes({ samplingFrequency: 30000, unitIds: [1], segments: [[[1000, 9000, 20000]]] }));
  const rec = await runCli(['workspace', 'add-recording', f.workspaceUri, bin, '--label', 'gains'], f.cliEnv, f.demo.outDir);
  const recordingId = /^Recording ID: (.+)$/m.exec(rec)![1].trim();
  const sorting = await runCli(['workspace', 'add-sorting', f.workspaceUri, join(f.demo.outDir, 'gains', 'sorting.npz'), '--recording-id', recordingId, '--label', 'gains-npz', '--no-precalculate'], f.cliEnv, f.demo.outDir);
  return /^Sorting ID: (.+)$/m.exec(sorting)![1].trim();
}
const DURATION_SEC = 6;
const SEGMENT_FRAMES = Math.ceil(100_000 / 384);

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture({ durationSec: DURATION_SEC, numUnits: 4 }), launchChromium()]);
  npSortingId = await addNeuropixelsSorting(f);
  gainsSortingId = await addGainsRecording();
  page = await openAppPage(browser, { width: 1500, height: 950 });
}, 180_000);
afterAll(() => closeFixture(browser, f));

const canvas = () => page.locator('.traces-canvas');
const shot = (name: string) => page.screenshot({ path: `test-results/traces-${name}.png` });
const open = (params: Record<string, string> = {}) => page.goto(f.url({ sorting: npSortingId, north: 'Traces', south: 'ElectrodeGeometry', ...params }));
const settled = () => expect.poll(() => canvas().getAttribute('data-segments-missing'), { timeout: 150_000 }).toBe('0');

/** Geometry of the plot area in device pixels (drawTraces.ts: labels 44 px left, 6 px right, axis 18 px). */
interface Plot { x0: number; x1: number; h: number; dpr: number }

/** Per device-pixel column of the plot: pixels that are pure white (nothing drawn) and distinct colours overall. */
function columns(p: Page): Promise<{ plot: Plot; white: number[]; ink: number[]; colours: number }> {
  return p.evaluate(() => {
    const c = document.querySelector('.traces-canvas') as HTMLCanvasElement;
    const dpr = c.width / c.getBoundingClientRect().width;
    const plot = { x0: Math.ceil(44 * dpr), x1: Math.floor(c.width - 6 * dpr), h: Math.floor(c.height - 18 * dpr), dpr };
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, plot.h).data;
    const white: number[] = [];
    const ink: number[] = [];
    const seen = new Set<number>();
    for (let x = plot.x0; x < plot.x1; x++) {
      let w = 0;
      let k = 0;
      for (let y = 0; y < plot.h; y++) {
        const i = 4 * (y * c.width + x);
        if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) w++;
        if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) k++;
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      white.push(w);
      ink.push(k);
    }
    return { plot, white, ink, colours: seen.size };
  });
}

describe('traces of a 384-channel probe', () => {
  it('draws a heat map by default (above 64 channels), in the worker; the toggle switches to lines', async () => {
    await open();
    await settled();
    await expect.poll(() => canvas().getAttribute('data-mode'), { timeout: 30_000 }).toBe('heatmap');
    expect(await canvas().getAttribute('data-renderer')).toBe('worker');
    expect(await page.locator('#traces-mode').inputValue()).toBe('auto');
    const heat = await columns(page);
    // A diverging colormap over noise and spikes: hundreds of colours, and no blank column.
    expect(heat.colours).toBeGreaterThan(200);
    expect(Math.max(...heat.white)).toBeLessThan(heat.plot.h * 0.05);
    console.log(`[traces] 384-channel heat map: ${heat.plot.x1 - heat.plot.x0} × 384 cells, drawn in ${await canvas().getAttribute('data-draw-ms')} ms`);
    await shot('heatmap');

    await page.locator('#traces-mode').selectOption('lines');
    await expect.poll(() => canvas().getAttribute('data-mode')).toBe('lines');
    const lines = await columns(page);
    expect(lines.colours).toBeLessThan(heat.colours);
    await shot('lines');
    await page.locator('#traces-mode').selectOption('auto');
    await expect.poll(() => canvas().getAttribute('data-mode')).toBe('heatmap');
  });

  it('at raw-sample zoom, no blank or thin column at the seam between two segments, in either mode', async () => {
    // 400 frames around the seams at frames 5 · 261 and 6 · 261.
    const [start, end] = [1200, 1600];
    await open({ t: `${start}-${end}` });
    await settled();
    expect(await canvas().getAttribute('data-ds-factor')).toBe('1');
    const seams = [5, 6].map((k) => k * SEGMENT_FRAMES).filter((s) => s > start && s < end);
    expect(seams.length).toBe(2);
    for (const mode of ['heatmap', 'lines'] as const) {
      await page.locator('#traces-mode').selectOption(mode);
      await expect.poll(() => canvas().getAttribute('data-mode')).toBe(mode);
      await expect.poll(() => canvas().getAttribute('data-range')).toBe(`${start}-${end}`);
      const { plot, white, ink } = await columns(page);
      const sorted = [...ink].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1];
      for (const seam of seams) {
        const x = Math.round(plot.x0 + ((seam - start) / (end - start)) * (plot.x1 - plot.x0)) - plot.x0;
        // A sample interval is ~3 device pixels here: look at every column around the seam.
        for (let dx = -4; dx <= 4; dx++) {
          expect(white[x + dx], `${mode}: white pixels in column ${x + dx} at the seam at frame ${seam}`).toBeLessThan(plot.h * (mode === 'heatmap' ? 0.05 : 0.9));
          expect(ink[x + dx], `${mode}: ink in column ${x + dx} at the seam at frame ${seam} (median ${median})`).toBeGreaterThan(median * 0.5);
        }
      }
      await shot(`seam-${mode}`);
    }
    await page.locator('#traces-mode').selectOption('auto');
  });

  it('a filtered whole-recording view draws filtered traces and never shows task parameters', async () => {
    await open();
    await settled();
    await page.locator('#traces-all').click();
    await expect.poll(() => canvas().getAttribute('data-range')).toBe(`0-${f.demo.spikeglx.numFrames}`);
    await settled();
    const rawDs = Number(await canvas().getAttribute('data-ds-factor'));
    expect(rawDs).toBe(729);
    await page.locator('#traces-filter').check();
    await expect.poll(() => page.url()).toContain('filter=bandpass');
    await settled();
    expect(await canvas().getAttribute('data-filtered-shown')).toBe('true');
    // Filtered segments of the coarsest level the worker filters on 384 channels, reduced per pixel.
    expect(await canvas().getAttribute('data-ds-factor')).toBe('243');
    const { colours, white, plot } = await columns(page);
    expect(colours).toBeGreaterThan(200);
    expect(Math.max(...white)).toBeLessThan(plot.h * 0.05);
    const text = (await page.locator('[data-testid="traces-view"]').textContent())!;
    expect(text).not.toMatch(/ds_factor|\bcap\b|67108864|failed/i);
    expect(await page.locator('[data-testid="traces-view"] [role="alert"]').count()).toBe(0);
    await shot('filtered-all');
    await page.locator('#traces-mode').selectOption('lines');
    await expect.poll(() => canvas().getAttribute('data-mode')).toBe('lines');
    await shot('filtered-all-lines');
    // Each filtered segment reads and band-passes 261 · 243 · 384 ≈ 24 M samples in the worker.
  }, 180_000);
});

describe('per-channel gains', () => {
  it('channels recorded at different imroTbl gains are drawn at one µV scale: the same raw sine, heights in the ratio of their µV per bit', async () => {
    await page.goto(f.url({ sorting: gainsSortingId, north: 'Traces', south: 'ElectrodeGeometry' }));
    await settled();
    expect(await canvas().getAttribute('data-mode')).toBe('lines');
    const rows = (await canvas().getAttribute('data-rows'))!.split(',').map(Number);
    expect([...rows].sort()).toEqual([0, 1, 2, 3]);
    // The vertical extent of the ink in each channel's row, in device pixels.
    const heights = await page.evaluate((n) => {
      const c = document.querySelector('.traces-canvas') as HTMLCanvasElement;
      const dpr = c.width / c.getBoundingClientRect().width;
      const x0 = Math.ceil(44 * dpr);
      const x1 = Math.floor(c.width - 6 * dpr);
      const plotH = Math.floor(c.height - 18 * dpr);
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, plotH).data;
      const rowH = plotH / n;
      return Array.from({ length: n }, (_, r) => {
        let top = Infinity;
        let bottom = -Infinity;
        for (let y = Math.ceil(r * rowH); y < Math.floor((r + 1) * rowH); y++) {
          for (let x = x0; x < x1; x += 2) {
            const i = 4 * (y * c.width + x);
            if (d[i] < 120 && d[i + 1] < 120 && d[i + 2] < 160) { top = Math.min(top, y); bottom = Math.max(bottom, y); break; }
          }
        }
        return bottom - top;
      });
    }, rows.length);
    const byChannel = new Map(rows.map((ch, r) => [ch, heights[r]!]));
    // µV per bit is 1/gain: channel 1 (gain 1000) half as tall as channel 0 (500), channel 2 (250) twice.
    expect(byChannel.get(1)! / byChannel.get(0)!).toBeGreaterThan(0.4);
    expect(byChannel.get(1)! / byChannel.get(0)!).toBeLessThan(0.62);
    expect(byChannel.get(2)! / byChannel.get(0)!).toBeGreaterThan(1.7);
    expect(byChannel.get(2)! / byChannel.get(0)!).toBeLessThan(2.3);
    expect(Math.abs(byChannel.get(3)! - byChannel.get(0)!)).toBeLessThanOrEqual(3);
    await shot('per-channel-gains');
  }, 180_000);
});
