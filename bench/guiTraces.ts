import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace, ensureDemoData } from '../emulator/demo';
import { startLocalStack } from '../emulator/stack';
import { launchChromium } from '../test/browser/chromium';
import { percentile, writeResult } from './results';

/**
 * gui-traces: the longest main-thread task and the frame times while scrolling and zooming the raw
 * traces of the 384-channel demo recording in Chromium, beside the frame time of the same page idle.
 * Goal: no main-thread task over 100 ms.
 */
export async function benchGuiTraces(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sv-bench-gui-'));
  const demo = await ensureDemoData(join(dir, 'demo'), 4, () => {});
  const stack = await startLocalStack({ stateDir: join(dir, 'state'), auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
  const browser = await launchChromium();
  try {
    const ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const url = `${stack.webUrl}/?${new URLSearchParams({ backend: stack.backendUri, workspace: ws.workspaceUri, sorting: ws.main.sortingId, north: 'Traces', t: '0-30000' })}`;
    await page.goto(url);
    const canvas = page.locator('.traces-canvas');
    await canvas.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(5000); // first segments in
    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await page.waitForTimeout(2000);
    const idleFrames = (await page.evaluate('window.__frames.splice(0)')) as number[];
    const rangeBefore = await page.locator('#traces-range').textContent();
    const box = (await canvas.boundingBox())!;
    // The canvas is taller than the window (384 channels): aim near its top, inside the viewport.
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(100, box.height / 2));
    for (let i = 0; i < 80; i++) {
      if (i % 20 === 10) await page.mouse.wheel(0, -100); // zoom in
      else if (i % 20 === 19) await page.mouse.wheel(0, 100); // zoom out
      else await page.mouse.wheel(100, 0); // pan
      await page.waitForTimeout(40);
    }
    await page.waitForTimeout(2000);
    const scrollFrames = (await page.evaluate('window.__frames.splice(0)')) as number[];
    const rangeAfter = await page.locator('#traces-range').textContent();
    if (rangeAfter === rangeBefore) throw new Error(`gui-traces: the view did not move (${rangeBefore})`);
    const longTasks = (await page.evaluate('window.__longTasks')) as number[];
    const longest = longTasks.length ? Math.max(...longTasks) : 0;
    const idle = percentile(idleFrames, 50);
    const p95 = percentile(scrollFrames, 95);
    writeResult({
      name: 'gui-traces-scroll', value: p95, unit: `ms frame time p95 while panning/zooming 384-channel traces (longest main-thread task ${longest.toFixed(0)} ms; goal ≤ 100)`,
      longestTaskMs: longest, longTasksOver50ms: longTasks.length, frameP50Ms: percentile(scrollFrames, 50), frames: scrollFrames.length, rangeBefore, rangeAfter,
      reference: { name: 'frame time of the same page idle (p50)', value: idle, unit: 'ms' }, ratio: p95 / idle,
    });
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
