import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { LocalStack } from '../../emulator/stack';
import { makeDemoData, type DemoData } from '../../scripts/make-demo-data';
import { startTestStack } from '../integration/stackHarness';

/**
 * The whole local system for browser tests: the demo dataset (scripts/make-demo-data), the stack
 * with a relay serving it, and a workspace filled with the real CLI (`sortingview workspace …`):
 * the 16-channel MDA recording with its MDA sorting, and the NWB units of the same recording as a
 * second sorting (for the comparison page).
 */
export interface AppFixture {
  stack: LocalStack;
  demo: DemoData;
  workspaceUri: string;
  workspaceLabel: string;
  recordingId: string;
  sortingId: string;
  nwbSortingId: string;
  cliEnv: NodeJS.ProcessEnv;
  /** `?backend=…&workspace=…[&sorting=…]` on the app. */
  url(params?: Record<string, string>): string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(process.cwd(), 'bin/sortingview.js'), ...args], { env, cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`sortingview ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const field = (out: string, name: string) => {
  const v = new RegExp(`^${name}: (.+)$`, 'm').exec(out)?.[1];
  if (!v) throw new Error(`no "${name}:" in CLI output:\n${out}`);
  return v.trim();
};

/**
 * `auth`: run the Firebase Auth emulator, so the app offers sign-in (curation tests); `user` is the
 * CLI's user (SORTINGVIEW_USER), who becomes the workspace's owner when the CLI creates its access list.
 */
export async function startAppFixture(opts: { durationSec?: number; numUnits?: number; auth?: boolean; user?: string } = {}): Promise<AppFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sv-browser-'));
  const demo = await makeDemoData({ outDir: join(dir, 'demo'), durationSec: opts.durationSec ?? 4, numUnits: opts.numUnits ?? 8, seed: 1 });
  const stack = await startTestStack({ pubsub: 'ours', auth: opts.auth ?? false, relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir }, user: opts.user });
  try {
    const cliEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: dir, ...stack.env,
      SORTINGVIEW_BACKEND: stack.backendUri, SORTINGVIEW_USER: opts.user ?? 'tester@lab.example.org', SORTINGVIEW_APP_URL: stack.webUrl,
      KACHERY_STORAGE_DIR: demo.kacheryStorageDir,
    };
    const workspaceLabel = 'browser test';
    const created = await runCli(['workspace', 'create', '--label', workspaceLabel], cliEnv, dir);
    const workspaceUri = field(created, 'Workspace URI');
    const rec = await runCli(['workspace', 'add-recording', workspaceUri, demo.mda.recordingUri, '--label', 'demo-mda'], cliEnv, dir);
    const recordingId = field(rec, 'Recording ID');
    const [s1, s2] = await Promise.all([
      runCli(['workspace', 'add-sorting', workspaceUri, demo.mda.sortingUri, '--recording-id', recordingId, '--label', 'ground-truth', '--no-precalculate'], cliEnv, dir),
      runCli(['workspace', 'add-sorting', workspaceUri, demo.nwb.path, '--recording-id', recordingId, '--label', 'nwb-units', '--no-precalculate'], cliEnv, dir),
    ]);
    const labelled = `${workspaceUri}?label=${encodeURIComponent(workspaceLabel).replace(/%20/g, '+')}`;
    return {
      stack, demo, workspaceUri, workspaceLabel, recordingId, sortingId: field(s1, 'Sorting ID'), nwbSortingId: field(s2, 'Sorting ID'), cliEnv,
      url: (params = {}) => `${stack.webUrl}/?${new URLSearchParams({ backend: stack.backendUri, workspace: labelled, ...params }).toString()}`,
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/**
 * The demo's 384-channel Neuropixels recording (SpikeGLX) and its phy sorting, added to the fixture's
 * workspace with the CLI as a lab would; without precalculation, so the tests see the views compute.
 * Returns the sorting's id.
 */
export async function addNeuropixelsSorting(f: AppFixture): Promise<string> {
  const rec = await runCli(['workspace', 'add-recording', f.workspaceUri, f.demo.spikeglx.binPath, '--label', 'np1'], f.cliEnv, f.demo.outDir);
  const sorting = await runCli(['workspace', 'add-sorting', f.workspaceUri, f.demo.phy.folder, '--recording-id', field(rec, 'Recording ID'), '--label', 'np1-phy', '--no-precalculate'], f.cliEnv, f.demo.outDir);
  return field(sorting, 'Sorting ID');
}

/** A page of the app (1600 × 1000 unless said), its uncaught errors printed. */
export async function openAppPage(browser: Browser, viewport = { width: 1600, height: 1000 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  return page;
}

/** A browser suite's afterAll: Chromium closed, the stack stopped (either may never have started). */
export async function closeFixture(browser: Browser | undefined, f: AppFixture | undefined): Promise<void> {
  await browser?.close();
  await f?.stack.stop();
}
