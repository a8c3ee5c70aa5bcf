/**
 * `npx tsx test/browser/benchSelectAll.ts [units=1000]`: times select-all and select-none in the
 * units table with the curation panel, average waveforms and autocorrelograms open, over N synthetic
 * units, in Chromium (web/bench/selectAllBench.tsx). The time is from the click to the next
 * animation frame, i.e. the whole React update and layout. Goal: ≤ 50 ms at 1000 units. Not a test.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium';

const units = Number(process.argv[2] ?? 1000);
const root = join(import.meta.dirname, '../..');
const out = await build({
  bundle: true, platform: 'browser', format: 'iife', minify: true, write: false, jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' }, entryPoints: [join(root, 'web/bench/selectAllBench.tsx')], logLevel: 'warning',
});
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
await page.setContent(`<!doctype html><html><head><style>${readFileSync(join(root, 'web/app.css'), 'utf8')}</style></head><body><div id="app"></div></body></html>`);
// Code run in the page is passed as text: tsx would wrap named functions in a helper the page lacks.
await page.evaluate(`window.BENCH_UNITS = ${units}`);
await page.addScriptTag({ content: out.outputFiles[0].text });
await page.locator('#units-select-all').waitFor();
await page.waitForTimeout(300);
const times = await page.evaluate(`(async () => {
  const box = document.querySelector('#units-select-all');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const all = [];
  const none = [];
  const sync = [];
  for (let i = 0; i < 12; i++) {
    await frame();
    let t0 = performance.now();
    box.click();
    void document.body.offsetHeight; // React renders a click's update synchronously; force layout too
    sync.push(performance.now() - t0);
    await frame();
    all.push(performance.now() - t0);
    await frame();
    t0 = performance.now();
    box.click();
    await frame();
    none.push(performance.now() - t0);
  }
  return { all, none, sync, rows: document.querySelectorAll('.ut-row').length };
})()`) as { all: number[]; none: number[]; sync: number[]; rows: number };
const stats = (xs: number[]) => {
  const s = [...xs].slice(2).sort((a, b) => a - b); // first two: warm-up
  return `median ${s[s.length >> 1].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};
console.log(`${units} units (${times.rows} rows in the DOM): select-all ${stats(times.all)} to the next frame (render + layout alone: ${stats(times.sync)}); select-none ${stats(times.none)}`);
await page.screenshot({ path: join(root, 'test-results/bench-select-all.png') });
await browser.close();
