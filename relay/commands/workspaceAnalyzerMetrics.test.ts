import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace, parseWorkspaceUri, readFeed, workspaceSubfeedHash } from '../../core/feeds';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { registryCheck } from '../../core/tasks/dataKwargs';
import { KacheryStore, parseSha1Uri } from '../data/kachery';
import { detectFormat } from '../formats';
import { smallAnalyzer } from '../../scripts/demoData/sortingAnalyzer.fixtures';
import { sortingAnalyzerFiles, type SiAnalyzerInput } from '../../scripts/demoData/sortingAnalyzer';
import { writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { addWorkspaceCommands, type WorkspaceDeps } from './workspace';

/**
 * `workspace add-sorting <SortingAnalyzer folder>` attaches the analyzer's quality_metrics and
 * template_metrics (read as `metrics import` reads them) at once: memory buckets, a temp kachery dir,
 * the real format detector on analyzers written by scripts/demoData/sortingAnalyzer.ts.
 */
const root = mkdtempSync(join(tmpdir(), 'sv-ws-analyzer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function harness() {
  const dir = mkdtempSync(join(root, 'h-'));
  const kachery = join(dir, 'kachery');
  const stores = { public: memoryBlobStore(), private: memoryBlobStore() };
  let k = 0;
  const out: string[] = [];
  const err: string[] = [];
  const deps: WorkspaceDeps = {
    env: { SORTINGVIEW_BACKEND: 'gs://lab-bucket/sortingview-backends/mylab.json', SORTINGVIEW_USER: 'me@lab.org', KACHERY_STORAGE_DIR: kachery },
    cwd: dir,
    openStores: () => stores,
    random: (n) => Uint8Array.from({ length: n }, () => k++ & 0xff),
    now: () => 1_700_000_000_000,
    detectFormat,
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  };
  const run = async (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    const program = new Command('sortingview').exitOverride().configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
    addWorkspaceCommands(program, deps);
    try {
      await program.parseAsync(['workspace', ...args], { from: 'user' });
      return { out: [...out], err: [...err], error: null as Error | null };
    } catch (e) {
      return { out: [...out], err: [...err], error: e as Error };
    }
  };
  /** A workspace holding the analyzer's recording: its URI and the recording id. */
  const withRecording = async (analyzer: string) => {
    const uri = line((await run('create', '--label', 'lab')).out, 'Workspace URI: ')!;
    const rec = await run('add-recording', uri, analyzer);
    expect(rec.error).toBeNull();
    return { uri, recordingId: line(rec.out, 'Recording ID: ')!, notes: rec.err };
  };
  const stored = async (uri: string) => {
    const found = await new KacheryStore(kachery).findFile(parseSha1Uri(uri).sha1);
    return JSON.parse(readFileSync(found!.path, 'utf8')) as { name: string; label: string; tooltip: string; data: Record<string, number | null> }[];
  };
  return { dir, stores, run, withRecording, stored };
}

const line = (lines: string[], prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);

/** smallAnalyzer (units 2, 4 (empty), 7) with both metric extensions. */
function analyzerWithMetrics(): SiAnalyzerInput {
  const a = smallAnalyzer();
  return {
    ...a,
    extensions: {
      ...a.extensions,
      qualityMetrics: {
        columns: [
          { name: 'num_spikes', dtype: 'int64', values: [4, 0, 2] },
          { name: 'snr', dtype: 'float64', values: [7.25, null, 3.5] },
        ],
      },
      templateMetrics: { columns: [{ name: 'peak_to_valley', dtype: 'float64', values: [0.00045, null, -0.0003] }] },
    },
  };
}

describe('workspace add-sorting <SortingAnalyzer> with quality/template metrics', () => {
  it('attaches them at once: SET_UNIT_METRICS_FOR_SORTING, registered, one line said, --json has the URI', async () => {
    const h = harness();
    const folder = join(h.dir, 'analyzer');
    await writeFiles(folder, sortingAnalyzerFiles(analyzerWithMetrics()));
    const { uri, recordingId, notes } = await h.withRecording(folder);
    // add-recording no longer lists them among the extensions not read.
    expect(notes).toContain(`Note: ${folder} holds the extensions random_spikes; sortingview does not read them yet (its views compute their own)`);
    expect(notes).toContain(`Note: ${folder}: its quality_metrics and template_metrics become units-table columns when its sorting is added (sortingview workspace add-sorting <workspace> ${folder} --recording-id …)`);

    const s = await h.run('add-sorting', uri, folder, '--recording-id', recordingId);
    expect(s.error).toBeNull();
    expect(s.err.filter((l) => l.startsWith('Warning'))).toEqual([]);
    const sortingId = line(s.out, 'Sorting ID: ')!;
    const metricsUri = line(s.out, 'Unit metrics URI: ')!;
    expect(metricsUri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/unit_metrics\.json$/);
    expect(s.out.filter((l) => l.startsWith('Units table: '))).toEqual([
      "Units table: 3 metric column(s) from the analyzer's quality_metrics and template_metrics extensions (num_spikes, snr, peak_to_valley)",
    ]);

    const feedId = parseWorkspaceUri(uri).feedId;
    const log = await readFeed(h.stores.public, feedId, workspaceSubfeedHash());
    const set = log.map((m) => (m.message as { action: { type: string } }).action).filter((a) => a.type === 'SET_UNIT_METRICS_FOR_SORTING');
    expect(set).toEqual([{ type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId, metricsUri } }]);
    expect((await loadWorkspace(h.stores.public, feedId)).state.sortings[0].unitMetricsUri).toBe(metricsUri);
    expect(await registryCheck((p) => h.stores.private.exists(p))('mylab', metricsUri)).toBe(true);

    const metrics = await h.stored(metricsUri);
    expect(metrics.map((m) => m.label)).toEqual(['Spikes', 'SNR', 'Peak to valley']);
    expect(metrics[1]).toEqual({ name: 'snr', label: 'SNR', tooltip: 'snr from quality_metrics/metrics.csv', data: { 2: 7.25, 4: null, 7: 3.5 } });
    expect(metrics[2].data).toEqual({ 2: 0.00045, 4: null, 7: -0.0003 });

    const json = await h.run('add-sorting', uri, folder, '--recording-id', recordingId, '--json');
    expect(json.error).toBeNull();
    const result = JSON.parse(json.out.join('\n'));
    expect(result).toMatchObject({ sortingId: expect.stringMatching(/^S-/), metricsUri, metrics: ['num_spikes', 'snr', 'peak_to_valley'] });
  });

  it('an analyzer without metric extensions: nothing attached, no metricsUri', async () => {
    const h = harness();
    const folder = join(h.dir, 'plain');
    await writeFiles(folder, sortingAnalyzerFiles(smallAnalyzer()));
    const { uri, recordingId } = await h.withRecording(folder);
    const s = await h.run('add-sorting', uri, folder, '--recording-id', recordingId, '--json');
    expect(s.error).toBeNull();
    // No metricsUri; precalculated is null (these deps have no precalculation).
    expect(JSON.parse(s.out.join('\n'))).toEqual({ sortingId: expect.any(String), sortingUri: expect.any(String), precalculated: null });
    expect((await loadWorkspace(h.stores.public, parseWorkspaceUri(uri).feedId)).state.sortings[0].unitMetricsUri).toBeUndefined();
  });

  it('metrics that cannot be read: the sorting is added all the same, with a warning saying how to retry', async () => {
    const h = harness();
    const folder = join(h.dir, 'broken');
    await writeFiles(folder, sortingAnalyzerFiles(analyzerWithMetrics()));
    writeFileSync(join(folder, 'extensions', 'quality_metrics', 'metrics.csv'), ',num_spikes\n2,4\n2,0\n');
    rmSync(join(folder, 'extensions', 'template_metrics', 'metrics.csv'));
    const { uri, recordingId } = await h.withRecording(folder);

    const s = await h.run('add-sorting', uri, folder, '--recording-id', recordingId, '--json', '--kachery-storage-dir', join(h.dir, 'kachery'));
    expect(s.error).toBeNull();
    const result = JSON.parse(s.out.join('\n'));
    expect(result).toMatchObject({ metricsUri: null, metricsError: `${join(folder, 'extensions', 'template_metrics')} has no metrics.csv (an extension not fully computed or saved: analyzer.compute("template_metrics") again)` });
    expect(s.err.filter((l) => l.startsWith('Warning'))).toEqual([
      `Warning: ${result.sortingId} was added, but the analyzer's quality_metrics and template_metrics could not be shown in its units table: ${result.metricsError}. `
      + `To retry: sortingview metrics import ${uri} ${folder} --sorting-id ${result.sortingId} --kachery-storage-dir ${join(h.dir, 'kachery')}`,
    ]);
    const { state } = await loadWorkspace(h.stores.public, parseWorkspaceUri(uri).feedId);
    expect(state.sortings.map((x) => [x.sortingId, x.unitMetricsUri])).toEqual([[result.sortingId, undefined]]);

    // With template_metrics back, the duplicated unit id of quality_metrics is what is wrong.
    await writeFiles(folder, Object.fromEntries(Object.entries(sortingAnalyzerFiles(analyzerWithMetrics())).filter(([p]) => p.startsWith('extensions/template_metrics/'))));
    const again = await h.run('add-sorting', uri, folder, '--recording-id', recordingId);
    expect(again.error).toBeNull();
    expect(again.err.find((l) => l.startsWith('Warning'))).toMatch(/could not be shown in its units table: quality_metrics\/metrics\.csv line 3: unit id 2 is listed twice\. To retry: sortingview metrics import /);
  });

  it('string unit ids that sortingview numbers by position: the metrics rows are mapped the same way', async () => {
    const h = harness();
    const folder = join(h.dir, 'strings');
    const input = analyzerWithMetrics();
    // "1" among other strings: all are numbered by position (0 = "1", 1 = "x", 2 = "y"), as the detector says.
    await writeFiles(folder, sortingAnalyzerFiles({ ...input, sorting: { ...input.sorting, unitIds: ['1', 'x', 'y'] } }));
    const { uri, recordingId } = await h.withRecording(folder);
    const s = await h.run('add-sorting', uri, folder, '--recording-id', recordingId, '--json');
    expect(s.error).toBeNull();
    expect(s.err.filter((l) => l.startsWith('Warning'))).toEqual([]);
    const metrics = await h.stored(JSON.parse(s.out.join('\n')).metricsUri);
    expect(metrics[1].data).toEqual({ 0: 7.25, 1: null, 2: 3.5 });
  });
});
