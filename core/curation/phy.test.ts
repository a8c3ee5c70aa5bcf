import { describe, expect, it } from 'vitest';
import { initialCurationState, normalizeCuration, replayCuration } from '../reducers/curation';
import { exportPhy, parsePhyClusterTsv, phyFieldName, phyGroupOf, phyImportActions } from './phy';

const curation = normalizeCuration({
  labelsByUnit: { 1: ['accept'], 2: ['reject'], 3: ['mua', 'accept'], 4: ['noise', 'artifact'], 5: ['pyramidal cell'], 7: ['accept'] },
  mergeGroups: [[7, 8], [3, 9]],
});
const file = (e: ReturnType<typeof exportPhy>, name: string) => e.files.find((f) => f.name === name)?.content;

/** What phy loads: every cluster_*.tsv as a field (cluster_id → value), as phy's `load_metadata` does. */
function readLikePhy(e: ReturnType<typeof exportPhy>): Record<string, Map<number, string>> {
  const out: Record<string, Map<number, string>> = {};
  for (const f of e.files) {
    const field = /^cluster_(.+)\.tsv$/.exec(f.name)![1];
    const header = f.content.split('\n')[0].split('\t');
    expect(header).toEqual(['cluster_id', field]);
    out[field] = parsePhyClusterTsv(f.content, f.name, field);
  }
  return out;
}

describe('phyGroupOf', () => {
  it('maps accept → good, reject/noise → noise, mua → mua, the rest → unsorted, the most cautious winning', () => {
    expect(phyGroupOf(['accept'])).toBe('good');
    expect(phyGroupOf(['reject'])).toBe('noise');
    expect(phyGroupOf(['noise'])).toBe('noise');
    expect(phyGroupOf(['mua'])).toBe('mua');
    expect(phyGroupOf(['artifact', 'mine'])).toBe('unsorted');
    expect(phyGroupOf([])).toBe('unsorted');
    expect(phyGroupOf(['accept', 'mua'])).toBe('mua');
    expect(phyGroupOf(['accept', 'reject', 'mua'])).toBe('noise');
  });
});

describe('exportPhy', () => {
  it('writes cluster_group.tsv for every unit of the sorting (worked by hand)', () => {
    const e = exportPhy(curation, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(file(e, 'cluster_group.tsv')).toBe('cluster_id\tgroup\n0\tunsorted\n1\tgood\n2\tnoise\n3\tmua\n4\tnoise\n5\tunsorted\n6\tunsorted\n7\tgood\n8\tunsorted\n9\tunsorted\n');
    expect(file(e, 'cluster_artifact.tsv')).toBe('cluster_id\tartifact\n4\ttrue\n');
    expect(file(e, 'cluster_pyramidal_cell.tsv')).toBe('cluster_id\tpyramidal_cell\n5\ttrue\n');
    expect(file(e, 'cluster_merge_group.tsv')).toBe('cluster_id\tmerge_group\n3\t3\n7\t7\n8\t7\n9\t3\n');
    expect(e.files.map((f) => f.name)).toEqual(['cluster_group.tsv', 'cluster_artifact.tsv', 'cluster_pyramidal_cell.tsv', 'cluster_merge_group.tsv']);
    expect(e.notes.join('\n')).toMatch(/1 unit\(s\) carry labels that disagree \(3\)/);
    expect(e.notes.join('\n')).toMatch(/label "pyramidal cell" is written as phy field pyramidal_cell/);
    expect(e.notes.join('\n')).toMatch(/2 merge group\(s\).*press G/);
  });

  it('reads back the way phy reads it: groups, custom fields and merge groups agree with the curation', () => {
    const units = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const fields = readLikePhy(exportPhy(curation, units));
    expect([...fields.group.keys()]).toEqual(units);
    for (const u of units) expect(fields.group.get(u)).toBe(phyGroupOf(curation.labelsByUnit[u] ?? []));
    expect([...fields.artifact]).toEqual([[4, 'true']]);
    const groups = new Map<string, number[]>();
    for (const [u, g] of fields.merge_group) groups.set(g, [...(groups.get(g) ?? []), u]);
    expect([...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0])).toEqual([[3, 9], [7, 8]]);
  });

  it('lists only curated units when the sorting\'s units are unknown, and says so', () => {
    const e = exportPhy(curation, null);
    expect([...parsePhyClusterTsv(file(e, 'cluster_group.tsv')!, 'g').keys()]).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
    expect(e.notes.join('\n')).toMatch(/unit list is not known/);
  });

  it('notes curated units the sorting lacks', () => {
    expect(exportPhy(curation, [1, 2, 3]).notes.join('\n')).toMatch(/names 5 unit\(s\) the sorting does not have \(4, 5, 7, 8, 9\)/);
  });

  it('writes an empty curation as all unsorted and no other file', () => {
    const e = exportPhy(initialCurationState, [0, 1]);
    expect(e.files).toEqual([{ name: 'cluster_group.tsv', content: 'cluster_id\tgroup\n0\tunsorted\n1\tunsorted\n' }]);
  });

  it('makes label names file-safe and keeps them off phy\'s and Kilosort\'s own fields', () => {
    const taken = new Set<string>();
    expect(phyFieldName('group', taken)).toBe('sv_group');
    expect(phyFieldName('KSLabel', taken)).toBe('sv_KSLabel');
    expect(phyFieldName('a/b', taken)).toBe('a_b');
    expect(phyFieldName('a b', taken)).toBe('a_b_2');
    expect(phyFieldName('A_B', taken)).toBe('A_B_3');
    expect(phyFieldName('***', taken)).toBe('label');
  });
});

describe('parsePhyClusterTsv', () => {
  it('reads phy and Kilosort files (CRLF, BOM, blank lines, a named column)', () => {
    expect([...parsePhyClusterTsv('\uFEFFcluster_id\tgroup\r\n0\tgood\r\n\r\n3\tnoise\r\n', 'g')]).toEqual([[0, 'good'], [3, 'noise']]);
    expect([...parsePhyClusterTsv('cluster_id\tAmplitude\tKSLabel\n5\t31.2\tmua\n', 'k', 'KSLabel')]).toEqual([[5, 'mua']]);
    expect([...parsePhyClusterTsv('id\tgroup\n2\tgood\n', 'g')]).toEqual([[2, 'good']]);
  });

  it('refuses files it cannot read, saying where', () => {
    expect(() => parsePhyClusterTsv('', 'cluster_group.tsv')).toThrow(/cluster_group.tsv is empty/);
    expect(() => parsePhyClusterTsv('cluster_id group\n', 'cluster_group.tsv')).toThrow(/no tab-separated columns/);
    expect(() => parsePhyClusterTsv('cluster_id\tgroup\n1\tgood\nx\tgood\n', 'cluster_group.tsv')).toThrow(/line 3: "x" is not an integer cluster id/);
  });
});

describe('phyImportActions', () => {
  const groups = parsePhyClusterTsv('cluster_id\tgroup\n0\tgood\n1\tmua\n2\tnoise\n3\tunsorted\n4\tgood\n5\tGood\n6\tweird one\n99\tgood\n', 'g');

  it('labels unlabelled units: one ADD_UNIT_LABEL per label, units ascending', () => {
    const r = phyImportActions(groups, initialCurationState, [0, 1, 2, 3, 4, 5, 6]);
    expect(r.actions).toEqual([
      { type: 'ADD_UNIT_LABEL', unitId: [0, 4, 5], label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: [1], label: 'mua' },
      { type: 'ADD_UNIT_LABEL', unitId: [2], label: 'noise' },
      { type: 'ADD_UNIT_LABEL', unitId: [6], label: 'weird one' },
    ]);
    expect(r.labelled).toBe(6);
    expect(r.unknownUnits).toEqual([99]);
  });

  it('leaves units the curation already labels alone, so a second import adds nothing', () => {
    const first = phyImportActions(groups, initialCurationState, null);
    const after = replayCuration(first.actions).state;
    expect(after.labelsByUnit).toMatchObject({ 0: ['accept'], 1: ['mua'], 2: ['noise'], 99: ['accept'] });
    const second = phyImportActions(groups, after, null);
    expect(second.actions).toEqual([]);
    expect(second.alreadyLabelled).toEqual([0, 1, 2, 4, 5, 6, 99]);
    const partly = phyImportActions(groups, normalizeCuration({ labelsByUnit: { 0: ['reject'] } }), null);
    expect(partly.actions[0]).toEqual({ type: 'ADD_UNIT_LABEL', unitId: [4, 5, 99], label: 'accept' });
  });

  it('skips values that are not usable labels', () => {
    const r = phyImportActions(new Map([[1, 'x'.repeat(80)]]), initialCurationState, null);
    expect(r.actions).toEqual([]);
    expect(r.badValues).toEqual(['x'.repeat(80)]);
  });

  it('round-trips: export → phy file → import gives the same phy groups', () => {
    const e = exportPhy(curation, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const read = parsePhyClusterTsv(e.files[0].content, 'cluster_group.tsv', 'group');
    const imported = replayCuration(phyImportActions(read, initialCurationState, null).actions).state;
    for (const u of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      expect(phyGroupOf(imported.labelsByUnit[u] ?? [])).toBe(phyGroupOf(curation.labelsByUnit[u] ?? []));
    }
  });
});
