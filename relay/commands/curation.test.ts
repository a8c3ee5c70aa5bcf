import { attributionOf } from '../../core/curation/attribution';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePhyClusterTsv, siCurationV2Schema } from '../../core/curation';
import { appendMessages, curationSubfeedHash, readFeed } from '../../core/feeds';
import { backendConfigPath, taskHash, taskResultPath } from '../../core/protocol';
import { sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { curationHarness } from './testing';

type H = Awaited<ReturnType<typeof curationHarness>>;
const curate = (h: H, actions: Record<string, unknown>[]) =>
  appendMessages(h.stores.public, h.feedId, curationSubfeedHash(h.sortingId), actions, { user: 'ed@lab.org', now: () => 5 });
const cacheSortingInfo = async (h: H, unitIds: number[], label = 'mylab') => {
  const { functionId, kwargs } = sortingInfoRequest(h.sorting.sortingPath);
  await h.stores.public.write(backendConfigPath(label), '{}');
  await h.stores.public.write(taskResultPath(label, taskHash(functionId, kwargs)), JSON.stringify({ unit_ids: unitIds, samplerate: 30000, sorting_object: {} }));
};

describe('sortingview curation export', () => {
  it('phy: writes cluster_group.tsv for every unit (from the cached sorting_info result), other labels and merges', async () => {
    const h = await curationHarness();
    await cacheSortingInfo(h, [1, 2, 3, 4, 5]);
    await curate(h, [
      { type: 'ADD_UNIT_LABEL', unitId: [1, 2], label: 'accept' }, { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'reject' },
      { type: 'ADD_UNIT_LABEL', unitId: 4, label: 'artifact' }, { type: 'MERGE_UNITS', unitIds: [1, 2] },
    ]);
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy', '--out', 'phy-out');
    expect(r.error).toBeNull();
    const dir = join(h.dir, 'phy-out');
    expect(readdirSync(dir).sort()).toEqual(['cluster_artifact.tsv', 'cluster_group.tsv', 'cluster_merge_group.tsv']);
    expect(r.out).toEqual(['cluster_group.tsv', 'cluster_artifact.tsv', 'cluster_merge_group.tsv'].map((f) => `Wrote ${join(dir, f)}`));
    expect([...parsePhyClusterTsv(readFileSync(join(dir, 'cluster_group.tsv'), 'utf8'), 'g', 'group')])
      .toEqual([[1, 'good'], [2, 'good'], [3, 'noise'], [4, 'unsorted'], [5, 'unsorted']]);
    expect(readFileSync(join(dir, 'cluster_merge_group.tsv'), 'utf8')).toBe('cluster_id\tmerge_group\n1\t1\n2\t1\n');
    expect(r.err.join('\n')).toMatch(/merge those clusters in phy/);
    expect(h.localReads).toEqual([]); // the cached result sufficed
  });

  it('spikeinterface: writes v2 JSON that SpikeInterface\'s model accepts, units read from the sorting\'s files when not cached', async () => {
    const h = await curationHarness();
    h.deps.localUnitIdsResult = [10, 11, 12];
    await curate(h, [{ type: 'ADD_UNIT_LABEL', unitId: 10, label: 'noise' }, { type: 'MERGE_UNITS', unitIds: [11, 12] }]);
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'spikeinterface', '--out', 'si.json');
    expect(r.error).toBeNull();
    const json = siCurationV2Schema.parse(JSON.parse(readFileSync(join(h.dir, 'si.json'), 'utf8')));
    expect(json).toMatchObject({ format_version: '2', unit_ids: [10, 11, 12], removed: [10], merges: [{ unit_ids: [11, 12], new_unit_id: 11 }] });
    expect(h.localReads).toEqual([h.sorting.sortingObject]);
  });

  it('exports only the curated units when the unit list cannot be found, and says why', async () => {
    const h = await curationHarness();
    await curate(h, [{ type: 'ADD_UNIT_LABEL', unitId: 7, label: 'mua' }]);
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy', '--out', 'p');
    expect(r.error).toBeNull();
    expect(readFileSync(join(h.dir, 'p', 'cluster_group.tsv'), 'utf8')).toBe('cluster_id\tgroup\n7\tmua\n');
    expect(r.err.join('\n')).toMatch(/could not read the unit ids from the sorting's files \(firings.mda is not on this machine\)/);
    expect(r.err.join('\n')).toMatch(/unit list is not known/);
  });

  it('spikeinterface: refuses, saying what to do, when the sorting\'s unit list is not known', async () => {
    const h = await curationHarness();
    await curate(h, [{ type: 'ADD_UNIT_LABEL', unitId: 7, label: 'mua' }]);
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'spikeinterface', '--out', 'si.json');
    expect(r.error?.message).toMatch(/unit list is not known here.*apply_curation.*Run this where the sorting's files are/);
    expect(readdirSync(h.dir)).not.toContain('si.json');
  });

  it.each([
    [['--format', 'kilosort', '--out', 'x'], /--format must be one of phy, spikeinterface/],
    [['--format', 'phy', '--out', 'afile'], /is a file; for phy give a folder/],
    [['--format', 'spikeinterface', '--out', 'adir'], /is a folder; give a file name/],
  ])('refuses %j', async (args, message) => {
    const h = await curationHarness();
    writeFileSync(join(h.dir, 'afile'), '');
    mkdirSync(join(h.dir, 'adir'));
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, ...args);
    expect(r.error?.message).toMatch(message);
  });

  it('never overwrites phy\'s own files: refuses without --force, and with it keeps a copy of each', async () => {
    const h = await curationHarness();
    await cacheSortingInfo(h, [1, 2]);
    await curate(h, [{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }]);
    const ks = join(h.dir, 'kilosort');
    mkdirSync(ks);
    const phyWork = 'cluster_id\tgroup\n1\tnoise\n2\tgood\n'; // a person's labels from phy
    writeFileSync(join(ks, 'cluster_group.tsv'), phyWork);
    writeFileSync(join(ks, 'params.py'), "dat_path = 'rec.bin'\n");

    const refused = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy', '--out', 'kilosort');
    expect(refused.error?.message).toMatch(/--out kilosort already has cluster_group\.tsv: sortingview does not overwrite it\. .*leave out --out for sortingview-curation-S-.*--force/);
    expect(readFileSync(join(ks, 'cluster_group.tsv'), 'utf8')).toBe(phyWork);
    expect(readdirSync(ks).sort()).toEqual(['cluster_group.tsv', 'params.py']);

    const forced = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy', '--out', 'kilosort', '--force');
    expect(forced.error).toBeNull();
    const copies = readdirSync(ks).filter((f) => f.startsWith('cluster_group.tsv.before-sortingview-'));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^cluster_group\.tsv\.before-sortingview-\d{8}T\d{6}Z$/);
    expect(readFileSync(join(ks, copies[0]!), 'utf8')).toBe(phyWork);
    expect(readFileSync(join(ks, 'cluster_group.tsv'), 'utf8')).toBe('cluster_id\tgroup\n1\tgood\n2\tunsorted\n');
    expect(forced.err.join('\n')).toContain(`Kept the previous ${join(ks, 'cluster_group.tsv')} as ${join(ks, copies[0]!)}`);
    expect(forced.err.join('\n')).toMatch(/kilosort is a phy folder/);
    // A second forced export keeps the first copy too.
    expect((await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy', '--out', 'kilosort', '--force')).error).toBeNull();
    expect(readdirSync(ks).filter((f) => f.startsWith('cluster_group.tsv.before-sortingview-'))).toHaveLength(2);
  });

  it('writes to a place of its own without --out, and refuses to replace an earlier SpikeInterface export', async () => {
    const h = await curationHarness();
    await cacheSortingInfo(h, [1]);
    const phy = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'phy');
    expect(phy.error).toBeNull();
    expect(readdirSync(join(h.dir, `sortingview-curation-${h.sortingId}`))).toEqual(['cluster_group.tsv']);
    const si = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'spikeinterface');
    expect(si.error).toBeNull();
    const file = join(h.dir, `sortingview-curation-${h.sortingId}.json`);
    const first = readFileSync(file, 'utf8');
    const again = await h.run('curation', 'export', h.uri, '--sorting-id', h.sortingId, '--format', 'spikeinterface');
    expect(again.error?.message).toMatch(/exists already: sortingview does not overwrite it/);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('names the sortings there are when the sorting id is wrong', async () => {
    const h = await curationHarness();
    const r = await h.run('curation', 'export', h.uri, '--sorting-id', 'S-000000000000', '--format', 'phy', '--out', 'x');
    expect(r.error?.message).toMatch(new RegExp(`has no sorting S-000000000000\\. Its sortings: ${h.sortingId} \\(ks\\)`));
  });
});

describe('sortingview curation import', () => {
  const phyFolder = (h: H, files: Record<string, string>) => {
    const dir = join(h.dir, 'ks');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('appends cluster_group.tsv as initial labels, once', async () => {
    const h = await curationHarness();
    await cacheSortingInfo(h, [0, 1, 2, 3]);
    await curate(h, [{ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'reject' }]);
    const dir = phyFolder(h, { 'cluster_group.tsv': 'cluster_id\tgroup\n0\tgood\n1\tmua\n2\tunsorted\n3\tgood\n9\tnoise\n' });
    const r = await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', dir);
    expect(r.error).toBeNull();
    expect(r.out).toEqual([`Imported 2 label(s) into the curation of ${h.sortingId}: accept ×1, mua ×1.`]);
    expect(r.err).toEqual(['Note: skipped 1 cluster(s) the sorting does not have (9).', 'Note: left 1 unit(s) alone that the curation labels already.']);
    const log = await readFeed(h.stores.public, h.feedId, curationSubfeedHash(h.sortingId));
    expect(log.slice(1)).toEqual([
      { message: { type: 'ADD_UNIT_LABEL', unitId: [0], label: 'accept' }, user: attributionOf(h.feedId, 'me@lab.org'), timestamp: 1_700_000_000_000 },
      { message: { type: 'ADD_UNIT_LABEL', unitId: [1], label: 'mua' }, user: attributionOf(h.feedId, 'me@lab.org'), timestamp: 1_700_000_000_000 },
    ]);
    const again = await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', dir);
    expect(again.out).toEqual([`Nothing to import: no unlabelled unit of ${h.sortingId} has a phy label.`]);
    expect(await readFeed(h.stores.public, h.feedId, curationSubfeedHash(h.sortingId))).toHaveLength(3);
  });

  it('falls back to Kilosort\'s cluster_KSLabel.tsv, and refuses a folder with neither', async () => {
    const h = await curationHarness();
    const dir = phyFolder(h, { 'cluster_KSLabel.tsv': 'cluster_id\tKSLabel\n0\tgood\n1\tmua\n' });
    const r = await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', dir);
    expect(r.error).toBeNull();
    expect(r.err[0]).toMatch(/importing Kilosort's cluster_KSLabel.tsv/);
    const empty = join(h.dir, 'empty');
    mkdirSync(empty);
    expect((await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', empty)).error?.message).toMatch(/has no cluster_group.tsv/);
  });

  it('refuses a closed curation and a malformed file', async () => {
    const h = await curationHarness();
    const dir = phyFolder(h, { 'cluster_group.tsv': 'cluster_id\tgroup\n0\tgood\nzero\tgood\n' });
    expect((await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', dir)).error?.message).toMatch(/line 3: "zero" is not an integer cluster id/);
    writeFileSync(join(dir, 'cluster_group.tsv'), 'cluster_id\tgroup\n0\tgood\n');
    await curate(h, [{ type: 'CLOSE_CURATION' }]);
    expect((await h.run('curation', 'import', h.uri, '--sorting-id', h.sortingId, '--phy-folder', dir)).error?.message).toMatch(/is closed: reopen it/);
  });
});
