import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, parseWorkspaceUri } from '../../core/feeds';
import type { DemoWorkspace } from '../../emulator/demo';
import { metricsImport } from '../../relay/commands/metricsImport';
import { workspaceAddRecording, workspaceAddSorting, type WorkspaceDeps } from '../../relay/commands/workspace';
import { resolveTarget } from '../../relay/commands/workspaceContext';
import { openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { phyClusterTsv } from '../../scripts/demoData/pythonCsv';
import { binaryFolderRecordingFiles, sortingAnalyzerFiles } from '../../scripts/demoData/sortingAnalyzer';
import { writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { startDemoStack, type DemoStack } from './stackHarness';

/**
 * `sortingview metrics import` end to end on the local stack: a SortingAnalyzer folder with the
 * quality_metrics and template_metrics extensions (scripts/demoData/sortingAnalyzer.ts, metrics.csv as
 * pandas writes it) and the demo's phy folder with cluster_Amplitude.tsv / cluster_ContamPct.tsv as
 * phylib writes them (beside its text cluster_KSLabel.tsv and cluster_group.tsv); then
 * fetch_unit_metrics.1 through the API, the worker and the relay serves exactly those values.
 */
let h: DemoStack;
let demo: DemoData;
let ws: DemoWorkspace;
let cliDeps: WorkspaceDeps;
let notes: string[];
const run = (functionId: string, kwargs: Record<string, unknown>) => h.run(functionId, kwargs) as Promise<any>;
const analyzer = { unitIds: [3, 8, 11], sortingId: '', sortingUri: '' };
const phyUnits: number[] = [];

beforeAll(async () => {
  h = await startDemoStack(1);
  ({ demo, ws, cliDeps, notes } = h);

  // An analyzer (4 channels, 1 s) whose recording is saved beside it, with both metric extensions.
  const rec = { channelIds: [0, 1, 2, 3], isFiltered: false, gainToUv: [0.195, 0.195, 0.195, 0.195], offsetToUv: [0, 0, 0, 0], groups: [0, 0, 0, 0], positions: [[0, 0], [0, 20], [16, 40], [16, 60]] as [number, number][] };
  await writeFiles(join(demo.outDir, 'si_rec_qm'), binaryFolderRecordingFiles({ ...rec, samplingFrequency: 30000, traces: [new Int16Array(30000 * 4)] }));
  await writeFiles(join(demo.outDir, 'si_analyzer_qm'), sortingAnalyzerFiles({
    sorting: { samplingFrequency: 30000, unitIds: analyzer.unitIds, segments: [[[1000, 5000, 20000], [7000], []]] },
    recording: { ...rec, numSamples: [30000], dtype: 'int16', folderPath: '../si_rec_qm', relativePaths: true },
    mainChannelIndex: [0, 2, 3],
    extensions: {
      qualityMetrics: {
        columns: [
          { name: 'num_spikes', dtype: 'int64', values: [3, 1, 0] },
          { name: 'firing_rate', dtype: 'float64', values: [3, 1, 0] },
          { name: 'snr', dtype: 'float64', values: [12.873041152954102, 4.5, null] },
          { name: 'isi_violations_ratio', dtype: 'float64', values: [0, 1e-5, null] },
        ],
      },
      templateMetrics: { columns: [{ name: 'peak_to_valley', dtype: 'float64', values: [0.00045, -0.0003, null] }] },
    },
  }));
  const r = await workspaceAddRecording(ws.workspaceUri, 'si_analyzer_qm', { label: 'si_analyzer_qm' }, cliDeps);
  const s = await workspaceAddSorting(ws.workspaceUri, 'si_analyzer_qm', { label: 'si_analyzer_qm', recordingId: r.recordingId }, cliDeps);
  analyzer.sortingId = s.sortingId;
  analyzer.sortingUri = s.sortingUri;

  // phy's own files in the demo's phy folder.
  const phy = await openSorting(demo.phy.sorting, localOpenFile());
  phyUnits.push(...phy.unitIds);
  writeFileSync(join(demo.phy.folder, 'cluster_Amplitude.tsv'), phyClusterTsv('Amplitude', new Map(phy.unitIds.map((u) => [u, 30 + u * 1.25]))));
  writeFileSync(join(demo.phy.folder, 'cluster_ContamPct.tsv'), phyClusterTsv('ContamPct', new Map(phy.unitIds.map((u) => [u, u % 2 ? 100 : 0.5]))));
}, 180_000);
afterAll(async () => h?.stack.stop());

const workspaceState = async () => (await loadWorkspace(cliDeps.openStores(resolveTarget({}, cliDeps.env)).public, parseWorkspaceUri(ws.workspaceUri).feedId)).state;
const metricsUriOf = async (sortingId: string) => (await workspaceState()).sortings.find((x) => x.sortingId === sortingId)!.unitMetricsUri;

describe('metrics import, then fetch_unit_metrics.1 through the relay', () => {
  it('a SortingAnalyzer folder: quality and template metrics as units-table columns, NaN empty', async () => {
    // The sorting's unit ids are cached once the sorting has been opened: the import checks against them.
    expect((await run('sorting_info.3', { sorting_uri: analyzer.sortingUri })).unit_ids).toEqual(analyzer.unitIds);
    const imported = await metricsImport(ws.workspaceUri, 'si_analyzer_qm', { sortingId: analyzer.sortingId }, cliDeps);
    expect(imported).toMatchObject({ metrics: ['num_spikes', 'firing_rate', 'snr', 'isi_violations_ratio', 'peak_to_valley'], units: 3, notInSorting: [] });
    expect(await metricsUriOf(analyzer.sortingId)).toBe(imported.metricsUri);

    const metrics = await run('fetch_unit_metrics.1', { unit_metrics_uri: imported.metricsUri });
    expect(metrics.map((m: { name: string; label: string }) => m.label)).toEqual(['Spikes', 'Firing rate', 'SNR', 'ISI violations ratio', 'Peak to valley']);
    expect(metrics[2]).toEqual({ name: 'snr', label: 'SNR', tooltip: 'snr from quality_metrics/metrics.csv', data: { 3: 12.873041152954102, 8: 4.5, 11: null } });
    expect(metrics[3].data).toEqual({ 3: 0, 8: 1e-5, 11: null });
    expect(metrics[4]).toMatchObject({ tooltip: 'peak_to_valley from template_metrics/metrics.csv', data: { 3: 0.00045, 8: -0.0003, 11: null } });
  });

  it('the demo\'s phy folder: Amplitude and ContamPct as columns, KSLabel and group skipped (said in one line)', async () => {
    const main = (await workspaceState()).sortings.find((x) => x.sortingId === ws.main.sortingId)!;
    expect((await run('sorting_info.3', { sorting_uri: main.sortingPath })).unit_ids).toEqual(phyUnits);
    notes.length = 0;
    const imported = await metricsImport(ws.workspaceUri, demo.phy.folder, { sortingId: ws.main.sortingId }, cliDeps);
    expect(imported).toMatchObject({ metrics: ['Amplitude', 'ContamPct'], units: phyUnits.length, notInSorting: [] });
    expect(notes.filter((n) => n.startsWith('Note: Skipped columns'))).toHaveLength(1);
    expect(notes.find((n) => n.startsWith('Note: Skipped columns'))).toMatch(/KSLabel \(e\.g\. "(good|mua)"\) in cluster_KSLabel\.tsv; group \(e\.g\. "\w+"\) in cluster_group\.tsv$/);

    const metrics = await run('fetch_unit_metrics.1', { unit_metrics_uri: imported.metricsUri });
    expect(metrics.map((m: { label: string }) => m.label)).toEqual(['Amplitude', 'Contamination (%)']);
    expect(metrics[0].data).toEqual(Object.fromEntries(phyUnits.map((u) => [String(u), 30 + u * 1.25])));
    expect(metrics[1].data).toEqual(Object.fromEntries(phyUnits.map((u) => [String(u), u % 2 ? 100 : 0.5])));
    expect(await metricsUriOf(ws.main.sortingId)).toBe(imported.metricsUri);
  });
});
