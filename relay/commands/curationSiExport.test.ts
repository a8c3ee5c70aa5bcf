import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siCurationProblems } from '../../core/curation';
import { addSortingAction, appendMessages, appendWorkspaceActions, curationSubfeedHash, loadWorkspace } from '../../core/feeds';
import { exportToPhySiUnitIdsTsv } from '../../scripts/demoData/sortingAnalyzer';
import { numpyFolderSortingFiles, writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { curationHarness } from './testing';

/**
 * `curation export --format spikeinterface` of a phy folder that SpikeInterface's export_to_phy wrote:
 * its cluster_si_unit_ids.tsv (scripts/demoData/sortingAnalyzer.ts, as pandas writes it) maps the
 * clusters to the analyzer's unit ids, which the export names, so apply_curation takes it on the
 * analyzer's sorting.
 */
async function phyHarness(siUnitIds: readonly (number | string)[], clusterIds: number[]) {
  const h = await curationHarness();
  const folder = join(h.dir, 'phy_from_si');
  mkdirSync(folder);
  writeFileSync(join(folder, 'cluster_si_unit_ids.tsv'), exportToPhySiUnitIdsTsv(siUnitIds));
  const { state } = await loadWorkspace(h.stores.public, h.feedId);
  const s = addSortingAction(state, { recordingId: state.recordings[0].recordingId, label: 'phy', path: `sha1://${'3'.repeat(40)}/phy.json`, object: { sorting_format: 'phy', data: { folder } } }, () => new Uint8Array(6).fill(7));
  await appendWorkspaceActions(h.stores.public, h.feedId, [s], { user: 'me@lab.org', now: () => 3 });
  h.deps.localUnitIdsResult = clusterIds; // the phy sorting's cluster ids, as the relay's reader gives them
  const sortingId = s.sorting.sortingId;
  const curate = (actions: Record<string, unknown>[]) => appendMessages(h.stores.public, h.feedId, curationSubfeedHash(sortingId), actions, { user: 'ed@lab.org', now: () => 5 });
  const exportSi = () => h.run('curation', 'export', h.uri, '--sorting-id', sortingId, '--format', 'spikeinterface', '--out', 'si.json');
  return { ...h, folder, sortingId, curate, exportSi };
}

describe('curation export --format spikeinterface, phy folder from export_to_phy', () => {
  it('the generator writes export_to_phy\'s bytes (those core/curation/siUnitIds.test.ts parses)', () => {
    expect(exportToPhySiUnitIdsTsv([3, 8, 11])).toBe('cluster_id\tsi_unit_id\n0\t3\n1\t8\n2\t11\n');
    expect(exportToPhySiUnitIdsTsv(['a', 'b\tc', '7'], '\r\n')).toBe('cluster_id\tsi_unit_id\r\n0\ta\r\n1\t"b\tc"\r\n2\t7\r\n');
  });

  it('names SpikeInterface\'s unit ids: every unit, labels, merges, removals; apply_curation\'s rules hold', async () => {
    const h = await phyHarness([3, 8, 11, 12], [0, 1, 2, 3]);
    await h.curate([
      { type: 'ADD_UNIT_LABEL', unitId: 0, label: 'accept' }, { type: 'ADD_UNIT_LABEL', unitId: 2, label: 'noise' },
      { type: 'MERGE_UNITS', unitIds: [1, 3] },
    ]);
    const r = await h.exportSi();
    expect(r.error).toBeNull();
    expect(r.err.some((l) => l.startsWith(`Note: ${join(h.folder, 'cluster_si_unit_ids.tsv')} (SpikeInterface's export_to_phy) maps the phy clusters to SpikeInterface unit ids`))).toBe(true);
    const json = JSON.parse(readFileSync(join(h.dir, 'si.json'), 'utf8'));
    expect(json).toMatchObject({
      unit_ids: [3, 8, 11, 12],
      manual_labels: [{ unit_id: 3, labels: { quality: ['good'], sortingview_labels: ['accept'] } }, { unit_id: 11, labels: { quality: ['noise'], sortingview_labels: ['noise'] } }],
      merges: [{ unit_ids: [8, 12], new_unit_id: 8 }],
      removed: [11],
    });
    expect(siCurationProblems(json, [3, 8, 11, 12])).toEqual([]);
  });

  it('keeps string unit ids', async () => {
    const h = await phyHarness(['#a', 'b'], [0, 1]);
    await h.curate([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'reject' }]);
    expect((await h.exportSi()).error).toBeNull();
    const json = JSON.parse(readFileSync(join(h.dir, 'si.json'), 'utf8'));
    expect(json).toMatchObject({ unit_ids: ['#a', 'b'], removed: ['b'] });
    expect(siCurationProblems(json, ['#a', 'b'])).toEqual([]);
  });

  it('refuses, writing nothing, when phy changed the clusters (a merge in phy made cluster 4)', async () => {
    const h = await phyHarness([3, 8, 11, 12], [0, 2, 4]);
    const r = await h.exportSi();
    expect(r.error?.message).toMatch(/cluster_si_unit_ids\.tsv has no SpikeInterface unit id for cluster\(s\) 4 of the sorting: its clusters are no longer those export_to_phy wrote/);
    expect(existsSync(join(h.dir, 'si.json'))).toBe(false);
  });
});

describe('curation export --format spikeinterface, a NumpyFolderSorting with string unit ids', () => {
  async function folderHarness(unitIds: string[], ours: number[]) {
    const h = await curationHarness();
    const folder = join(h.dir, 'si_sorting');
    await writeFiles(folder, numpyFolderSortingFiles({ samplingFrequency: 30000, unitIds, segments: [unitIds.map((_, i) => [10 * i + 5])] }));
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    const s = addSortingAction(state, { recordingId: state.recordings[0].recordingId, label: 'si', path: `sha1://${'4'.repeat(40)}/si.json`, object: { sorting_format: 'si_numpy_folder', data: { folder } } }, () => new Uint8Array(6).fill(9));
    await appendWorkspaceActions(h.stores.public, h.feedId, [s], { user: 'me@lab.org', now: () => 3 });
    h.deps.localUnitIdsResult = ours; // sortingview's ids for them (relay/formats/siSorting.ts siUnitIds)
    const curate = (actions: Record<string, unknown>[]) => appendMessages(h.stores.public, h.feedId, curationSubfeedHash(s.sorting.sortingId), actions, { user: 'ed@lab.org', now: () => 5 });
    const r = async () => {
      const out = await h.run('curation', 'export', h.uri, '--sorting-id', s.sorting.sortingId, '--format', 'spikeinterface', '--out', 'si.json');
      expect(out.error).toBeNull();
      return { ...out, json: JSON.parse(readFileSync(join(h.dir, 'si.json'), 'utf8')) };
    };
    return { curate, run: r };
  }

  it('canonical integer strings ("0", "12"): shown as 0, 12, exported as SpikeInterface has them', async () => {
    const h = await folderHarness(['0', '12', '3'], [0, 12, 3]);
    await h.curate([{ type: 'MERGE_UNITS', unitIds: [12, 3] }, { type: 'ADD_UNIT_LABEL', unitId: 0, label: 'noise' }]);
    const { json, err } = await h.run();
    expect(json).toMatchObject({ unit_ids: ['0', '12', '3'], merges: [{ unit_ids: ['3', '12'], new_unit_id: '3' }], removed: ['0'] });
    expect(siCurationProblems(json, ['0', '12', '3'])).toEqual([]);
    expect(err.some((l) => /names the units by SpikeInterface's own \(string\) unit ids, from .*numpysorting_info\.json/.test(l))).toBe(true);
  });

  it('other strings (numbered by position in sortingview) are exported by name', async () => {
    const h = await folderHarness(['x', 'y', 'z'], [0, 1, 2]);
    await h.curate([{ type: 'ADD_UNIT_LABEL', unitId: 2, label: 'accept' }]);
    const { json } = await h.run();
    expect(json).toMatchObject({ unit_ids: ['x', 'y', 'z'], manual_labels: [{ unit_id: 'z', labels: { quality: ['good'] } }] });
  });
});
