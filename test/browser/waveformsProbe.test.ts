import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neuropixels1 } from '../../scripts/demoData/probe';
import { unitColor } from '../../web/components/unitColors';
import { addNeuropixelsSorting, type AppFixture, closeFixture, openAppPage, startAppFixture } from './appHarness';
import { launchChromium } from './chromium';

/**
 * Waveforms and the probe map as phy and spikeinterface-gui users expect them (issue 18 items 6 and
 * 7), in real Chromium at 1600×1000 on the demo's 384-channel Neuropixels 1.0 recording with its phy
 * sorting: the µV scale bar and channel ids, one unit filling the view, the overlay of two units on
 * the union of their channels; the probe map readable at first, wheel zoom about the pointer, drag
 * to pan, reset, units drawn at their locations in their colours, the shank label selecting its
 * electrodes. Assertions are on what is drawn: the canvases' data attributes and their pixels.
 */
let f: AppFixture;
let browser: Browser;
let page: Page;
let npSortingId: string;
const NP1 = neuropixels1().geom;

beforeAll(async () => {
  [f, browser] = await Promise.all([startAppFixture({ durationSec: 3, numUnits: 8 }), launchChromium()]);
  npSortingId = await addNeuropixelsSorting(f);
  page = await openAppPage(browser);
}, 180_000);
afterAll(() => closeFixture(browser, f));

const shot = (name: string) => page.screenshot({ path: `test-results/waveforms-probe-${name}.png` });
/** The NP units with spikes, the largest first (their waveforms are clear). */
const units = () => f.demo.spikeglx.units.filter((u) => u.numSpikes > 20).sort((a, b) => b.amplitudeUv - a.amplitudeUv);
const open = (params: Record<string, string>) => page.goto(f.url({ sorting: npSortingId, ...params }));
const attr = async (selector: string, name: string) => (await page.locator(selector).getAttribute(name)) ?? '';

/** Pixels of the canvas within `tol` of a colour (#rrggbb), in device pixels. */
function pixelsOfColour(selector: string, colour: string, tol = 40): Promise<number> {
  return page.evaluate(({ selector, colour, tol }) => {
    const c = document.querySelector(selector) as HTMLCanvasElement | null;
    if (!c) return 0;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) <= tol) n++;
    return n;
  }, { selector, colour, tol });
}

/** The colour at a CSS pixel of a canvas, as #rrggbb. */
function colourAt(selector: string, x: number, y: number): Promise<string> {
  return page.evaluate(({ selector, x, y }) => {
    const c = document.querySelector(selector) as HTMLCanvasElement;
    const dpr = c.width / c.getBoundingClientRect().width;
    const d = c.getContext('2d')!.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data;
    return `#${[d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  }, { selector, x, y });
}

const ROUND = /^([125])0*(\.0+)?$|^0\.0*[125]$/;

describe('average waveforms', () => {
  it('one selected unit fills the view; a µV scale bar of a round value, channel ids beside the traces', async () => {
    const u = units()[0];
    await open({ north: 'UnitsTable', south: 'AverageWaveforms', units: String(u.id) });
    const canvas = `.waveform-canvas[data-unit-id="${u.id}"]`;
    // Scaled by the recording's noise level once recording_info.3 is in (before, by the waveform's own peak-to-peak).
    await expect.poll(() => attr(canvas, 'data-amplitude-reference'), { timeout: 60_000 }).toBe('noise');
    await expect.poll(() => attr(canvas, 'data-scale-bar'), { timeout: 60_000 }).toMatch(/ µV$/);
    const view = (await page.locator('[data-testid="average-waveforms-view"]').boundingBox())!;
    const box = (await page.locator(canvas).boundingBox())!;
    console.log(`[waveforms] view ${view.width}×${view.height}, single panel ${box.width}×${box.height}`);
    expect(box.width).toBeGreaterThan(view.width * 0.9);
    expect(box.height).toBeGreaterThan(view.height * 0.75);
    // …and the view does not scroll.
    expect(await page.locator('[data-testid="average-waveforms-view"]').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    const value = Number(await attr(canvas, 'data-scale-bar-value'));
    const px = Number(await attr(canvas, 'data-scale-bar-px'));
    expect(String(value)).toMatch(ROUND);
    expect(await attr(canvas, 'data-scale-bar')).toBe(`${value} µV`);
    expect(px).toBeGreaterThan(15);
    expect(px).toBeLessThan(box.height);
    // The unit's neighbourhood, its peak channel among them, each id written beside its trace.
    const channels = (await attr(canvas, 'data-channel-ids')).split(',').map(Number);
    expect(channels.length).toBeGreaterThan(4);
    expect(channels.length).toBeLessThanOrEqual(15);
    expect(channels).toContain(u.peakChannelId);
    expect(await attr(canvas, 'data-channel-labels')).toBe('true');
    expect(await pixelsOfColour(canvas, unitColor(u.id))).toBeGreaterThan(300);
    await shot('single-unit');

    // Amplitudes ×1.4: the bar's pixels per µV grow by 1.4, and its value stays a round number.
    await page.locator('button', { hasText: 'amp +' }).click();
    await expect.poll(async () => Number(await attr(canvas, 'data-scale-bar-px')) / Number(await attr(canvas, 'data-scale-bar-value'))).toBeCloseTo((px / value) * 1.4, 3);
    expect(await attr(canvas, 'data-scale-bar-value')).toMatch(ROUND);
    expect(Number(await attr(canvas, 'data-scale-bar-value'))).toBeLessThanOrEqual(value);
    await page.locator('button', { hasText: 'amp −' }).click();
    await expect.poll(() => attr(canvas, 'data-scale-bar-value')).toBe(String(value));
  }, 120_000);

  it('overlay: two units drawn in their colours on the same channels, the union of their neighbourhoods', async () => {
    // The two units whose peak channels are closest (their neighbourhoods overlap); the selection is
    // kept in ascending order, so the overlay's first unit is the smaller id.
    const us = units();
    const pairs = us.flatMap((x, i) => us.slice(i + 1).map((y) => [x, y] as const));
    const near = pairs.sort((p, q) => Math.abs(NP1[p[0].peakChannelId][1] - NP1[p[1].peakChannelId][1]) - Math.abs(NP1[q[0].peakChannelId][1] - NP1[q[1].peakChannelId][1]))[0];
    const [a, b] = [...near].sort((x, y) => x.id - y.id);
    await open({ north: 'UnitsTable', south: 'AverageWaveforms', units: `${a.id},${b.id}` });
    await expect.poll(() => page.locator('.waveform-canvas[data-channel-ids]').count(), { timeout: 60_000 }).toBe(2);
    const own = async (u: number) => (await attr(`.waveform-canvas[data-unit-id="${u}"]`, 'data-channel-ids')).split(',').map(Number);
    const [ca, cb] = [await own(a.id), await own(b.id)];
    // Two selected units share the view: side by side, each as tall as one would be.
    const view = (await page.locator('[data-testid="average-waveforms-view"]').boundingBox())!;
    for (const u of [a, b]) {
      const box = (await page.locator(`.waveform-canvas[data-unit-id="${u.id}"]`).boundingBox())!;
      expect(box.height).toBeGreaterThan(view.height * 0.75);
      expect(box.width).toBeGreaterThan(view.width * 0.45);
    }
    await shot('two-panels');
    await page.locator('#wf-panels-overlay').check();
    const overlay = '.waveform-overlay-canvas';
    await expect.poll(() => attr(overlay, 'data-units')).toBe(`${a.id},${b.id}`);
    expect(await page.locator('.waveform-canvas').count()).toBe(0);
    const union = [...ca, ...cb.filter((c) => !ca.includes(c))];
    // They share channels: both are drawn on those.
    expect(union.length).toBeLessThan(ca.length + cb.length);
    expect((await attr(overlay, 'data-channel-ids')).split(',').map(Number)).toEqual(union);
    expect(await page.locator('#wf-overlay-caption').textContent()).toContain(`union of their channels (${union.length} channels)`);
    expect(await attr(overlay, 'data-scale-bar')).toMatch(/^\d+(\.\d+)? µV$/);
    // Both units' traces are drawn on that one canvas.
    const [pa, pb] = [await pixelsOfColour(overlay, unitColor(a.id)), await pixelsOfColour(overlay, unitColor(b.id))];
    console.log(`[waveforms] overlay of ${a.id} and ${b.id} on ${union.length} channels (${ca.length} + ${cb.length}): ${pa} and ${pb} pixels of their colours`);
    expect(pa).toBeGreaterThan(200);
    expect(pb).toBeGreaterThan(200);
    expect((await page.locator(overlay).boundingBox())!.width).toBeGreaterThan(view.width * 0.9);
    await shot('overlay');
    await page.locator('input[name="wf-mode"]').nth(1).check();
    await expect.poll(() => attr(overlay, 'data-layout')).toBe('vertical');
    await shot('overlay-vertical');
    await page.locator('input[name="wf-mode"]').nth(0).check();
    await page.locator('#wf-panels-units').check();
    await expect.poll(() => page.locator('.waveform-canvas').count()).toBe(2);
  }, 120_000);

  it('a recording without gains: the scale bar says raw', async () => {
    const u = f.demo.mda.units.find((x) => x.numSpikes > 20)!;
    await page.goto(f.url({ sorting: f.sortingId, north: 'UnitsTable', south: 'AverageWaveforms', units: String(u.id) }));
    await expect.poll(() => attr(`.waveform-canvas[data-unit-id="${u.id}"]`, 'data-scale-bar'), { timeout: 60_000 }).toMatch(/^\S+ raw$/);
    expect(await attr(`.waveform-canvas[data-unit-id="${u.id}"]`, 'title')).toMatch(/no gain.*raw units/);
  }, 120_000);
});

interface Marker { u: number; ch: number; x: number; y: number; px: number; py: number; at: 'centre-of-mass' | 'peak-channel' }
const geometry = '.geometry-canvas';
const visible = async () => (await attr(geometry, 'data-visible-um')).split(',').map(Number) as [number, number, number, number];

describe('probe map', () => {
  it('opens readable on a 3.8 mm probe, with the selected unit at its peak channel in its colour', async () => {
    const u = units()[0];
    await open({ north: 'UnitsTable', south: 'ElectrodeGeometry', units: String(u.id) });
    // Located by its mean waveform's centre of mass once fetch_average_waveform.2 is in.
    await expect.poll(async () => (JSON.parse((await attr(geometry, 'data-selected-markers')) || '[]') as Marker[]).map((m) => m.at).join(), { timeout: 60_000 }).toBe('centre-of-mass');
    const box = (await page.locator(geometry).boundingBox())!;
    const [x0, x1, y0, y1] = await visible();
    console.log(`[probe] ${box.width}×${box.height} px shows x ${x0}…${x1}, y ${y0}…${y1} µm; electrode pitch ${await attr(geometry, 'data-pitch-px')} px`);
    // Neighbouring electrodes ≥ 20 px apart, so the whole 3820 µm does not fit: a part of it, the width whole.
    expect(Number(await attr(geometry, 'data-pitch-px'))).toBeGreaterThanOrEqual(20);
    expect(y1 - y0).toBeLessThan(3820 / 2);
    expect(x0).toBeLessThan(11);
    expect(x1).toBeGreaterThan(59);
    expect(await attr(geometry, 'data-strip')).toBe('shown');
    expect(await attr(geometry, 'data-drag')).toBe('pan');
    expect(await page.locator('#geometry-location-legend').textContent()).toMatch(/selected units at their centre of mass, others at their peak channel/);
    // The marker: on the probe near the unit's true peak channel (its own peak channel too), in view
    // (the map centred on it), drawn in its colour.
    const [m] = JSON.parse(await attr(geometry, 'data-selected-markers')) as Marker[];
    expect(m.u).toBe(u.id);
    expect(Math.abs(m.y - NP1[u.peakChannelId][1])).toBeLessThanOrEqual(40);
    expect(Math.abs(m.y - NP1[m.ch][1])).toBeLessThanOrEqual(40);
    expect(m.x).toBeGreaterThanOrEqual(11);
    expect(m.x).toBeLessThanOrEqual(59);
    expect(m.px).toBeCloseTo(((m.x - x0) / (x1 - x0)) * box.width, -1);
    expect(m.py).toBeCloseTo(((y1 - m.y) / (y1 - y0)) * box.height, -1);
    expect(m.py).toBeGreaterThan(0);
    expect(m.py).toBeLessThan(box.height);
    expect(await colourAt(geometry, m.px, m.py)).toBe(unitColor(u.id));
    // Every unit is drawn (faintly), not only the selected one.
    expect(Number(await attr(geometry, 'data-units-drawn'))).toBeGreaterThanOrEqual(units().length);
    await shot('probe-initial');

    // A click on an electrode selects it (hit-testing through the view transform).
    const ch = m.ch < 380 ? m.ch + 4 : m.ch - 4;
    const [ex, ey] = NP1[ch];
    await page.mouse.click(box.x + ((ex - x0) / (x1 - x0)) * box.width, box.y + ((y1 - ey) / (y1 - y0)) * box.height);
    await expect.poll(() => page.locator('#electrodes-selected').textContent()).toBe(`1 electrodes selected: ${ch}`);
  }, 120_000);

  it('wheel zooms about the pointer, drag pans, reset returns; zoomed out far enough the whole probe shows', async () => {
    const box = (await page.locator(geometry).boundingBox())!;
    const initial = await visible();
    const [, , y0, y1] = initial;
    // Zoom in at a quarter of the height: the µm there stays under the pointer.
    const py = box.height / 4;
    const yAt = (r: number[]) => r[3] - (py / box.height) * (r[3] - r[2]);
    await page.mouse.move(box.x + box.width / 2, box.y + py);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await visible())[3] - (await visible())[2]).toBeLessThan((y1 - y0) * 0.8);
    const zoomed = await visible();
    expect(await attr(geometry, 'data-view')).toBe('user');
    expect(Math.abs(yAt(zoomed) - yAt(initial))).toBeLessThan(1);
    await shot('probe-zoomed');
    // Drag down 120 px: the probe follows the pointer, so 120 px worth of µm higher up comes into view.
    const scale = Number(await attr(geometry, 'data-scale'));
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 220, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await visible())[3]).toBeCloseTo(zoomed[3] + 120 / scale, 0);
    // Reset: the automatic view again.
    await page.locator('#geometry-reset').click();
    await expect.poll(() => visible()).toEqual(initial);
    expect(await attr(geometry, 'data-view')).toBe('auto');
    // Zoomed out: the whole probe, and no overview strip.
    for (let i = 0; i < 12; i++) await page.locator('#geometry-zoom-out').click();
    const all = await visible();
    expect(all[2]).toBeLessThanOrEqual(0);
    expect(all[3]).toBeGreaterThanOrEqual(3820);
    expect(await attr(geometry, 'data-strip')).toBe('none');
    await shot('probe-whole');
    await page.locator('#geometry-reset').click();
    // In pan mode a Shift-drag draws the selection rectangle: a strip of electrodes, not the probe moved.
    const before = await visible();
    await page.keyboard.down('Shift');
    // (From right of the overview strip, which would move the view instead.)
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 5, box.y + 140, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const n = Number(/^(\d+) electrodes selected/.exec((await page.locator('#electrodes-selected').textContent())!)?.[1]);
    expect(n).toBeGreaterThan(4);
    expect(n).toBeLessThan(40);
    expect(await visible()).toEqual(before);
  }, 120_000);

  it('with no unit selected, the automatic view shows where every unit is', async () => {
    await open({ north: 'UnitsTable', south: 'ElectrodeGeometry' });
    await expect.poll(() => attr(geometry, 'data-units-drawn'), { timeout: 60_000 }).toBe(String(f.demo.spikeglx.units.filter((u) => u.numSpikes > 0).length));
    expect(await attr(geometry, 'data-units-in-view')).toBe(await attr(geometry, 'data-units-drawn'));
    await shot('probe-all-units');
  }, 120_000);

  it('the shank is drawn with its label; clicking the label selects its electrodes, Shift its units', async () => {
    await open({ north: 'UnitsTable', south: 'ElectrodeGeometry', units: String(units()[0].id) });
    await expect.poll(() => page.locator('.shank-label[data-shank="0"]').textContent(), { timeout: 60_000 }).toMatch(/· [1-9]\d* units$/);
    const label = page.locator('.shank-label[data-shank="0"]');
    expect(await label.textContent()).toMatch(/^shank 0 · \d+ units$/);
    expect(await label.getAttribute('data-channels')).toBe('384');
    await label.click();
    await expect.poll(() => page.locator('#electrodes-selected').textContent()).toMatch(/^384 electrodes selected/);
    await label.click({ modifiers: ['Shift'] });
    const n = Number(/· (\d+) units/.exec((await label.textContent())!)![1]);
    expect(n).toBeGreaterThanOrEqual(units().length);
    await expect.poll(async () => JSON.parse((await attr(geometry, 'data-selected-markers')) || '[]').length).toBe(n);
    // The automatic view zooms out to show every selected unit.
    const { height } = (await page.locator(geometry).boundingBox())!;
    const markers = JSON.parse(await attr(geometry, 'data-selected-markers')) as Marker[];
    for (const m of markers) expect(m.py, `unit ${m.u} in view`).toBeGreaterThanOrEqual(0);
    for (const m of markers) expect(m.py, `unit ${m.u} in view`).toBeLessThanOrEqual(height);
    await shot('probe-shank-units');
  }, 120_000);
});
