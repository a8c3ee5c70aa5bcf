import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { gcsBlobStore } from '../adapters/gcs/gcsBlobStore';
import { workspaceAddRecording, workspaceAddSorting, workspaceCreate, type WorkspaceDeps } from '../relay/commands/workspace';
import { detectFormat } from '../relay/formats';
import { DEMO_DEFAULTS, makeDemoData, type DemoData } from '../scripts/demoData/makeDemoData';

export interface DemoWorkspace {
  workspaceUri: string;
  /** The SpikeGLX recording and its phy sorting: what `Demo sorting:` opens. */
  main: { recordingId: string; sortingId: string };
  all: { label: string; recordingId: string; sortingId: string }[];
}

/**
 * The demo dataset (generated once, deterministic) and files needed to serve it. Regenerated when
 * the requested size changes.
 */
export async function ensureDemoData(dir: string, durationSec: number, log: (line: string) => void, numUnits: number = DEMO_DEFAULTS.numUnits): Promise<DemoData> {
  const marker = join(dir, 'demo.json');
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { durationSec: number; numUnits?: number; demo: DemoData };
    if (saved.durationSec === durationSec && (saved.numUnits ?? DEMO_DEFAULTS.numUnits) === numUnits && existsSync(saved.demo.spikeglx.binPath)) return saved.demo;
  }
  log(`Generating demo data (${durationSec} s, ${numUnits} units, SpikeGLX 384 channels + phy, MDA, NWB) in ${dir}…`);
  const demo = await makeDemoData({ outDir: dir, durationSec, numUnits, progress: true });
  writeFileSync(marker, JSON.stringify({ durationSec, numUnits, demo }));
  return demo;
}

/** Who creates, and so owns, the demo workspace (the CLI's SORTINGVIEW_USER); sign in as them to edit it. */
export const DEMO_OWNER = 'demo@localhost';

/**
 * Registers the demo data in a new workspace through the same commands a lab uses
 * (`sortingview workspace create / add-recording / add-sorting`), against the stack's buckets.
 */
export async function createDemoWorkspace(opts: { demo: DemoData; env: Record<string, string>; backendUri: string; storageUrl: string; appUrl: string }): Promise<DemoWorkspace> {
  const { demo } = opts;
  const storage = new Storage({ projectId: opts.env.GOOGLE_CLOUD_PROJECT, apiEndpoint: opts.storageUrl });
  const quiet: string[] = [];
  const deps: WorkspaceDeps = {
    env: { ...opts.env, SORTINGVIEW_BACKEND: opts.backendUri, KACHERY_STORAGE_DIR: demo.kacheryStorageDir, SORTINGVIEW_USER: DEMO_OWNER, SORTINGVIEW_APP_URL: opts.appUrl },
    cwd: demo.outDir,
    openStores: (t) => ({ public: gcsBlobStore(storage.bucket(t.bucket)), private: gcsBlobStore(storage.bucket(t.privateBucket)) }),
    random: (n) => randomBytes(n),
    now: Date.now,
    detectFormat,
    stdout: (line) => quiet.push(line),
    stderr: (line) => quiet.push(line),
  };
  const { workspaceUri } = await workspaceCreate({ label: 'demo' }, deps);
  const all: DemoWorkspace['all'] = [];
  const add = async (label: string, recording: string, sorting: string) => {
    const { recordingId } = await workspaceAddRecording(workspaceUri, recording, { label: `${label}-recording` }, deps);
    const { sortingId } = await workspaceAddSorting(workspaceUri, sorting, { label: `${label}-sorting`, recordingId }, deps);
    all.push({ label, recordingId, sortingId });
  };
  await add('spikeglx', demo.spikeglx.binPath, demo.phy.folder);
  await add('mda', demo.mda.recordingUri, demo.mda.sortingUri);
  await add('nwb', demo.nwb.path, demo.nwb.path);
  return { workspaceUri, main: all[0], all };
}
