import { describe, expect, it } from 'vitest';
import { parseClusterSiUnitIds, siUnitIdsFor } from './siUnitIds';

// The bytes export_to_phy writes (pandas `to_csv(sep="\t", index=False)`, QUOTE_MINIMAL, os.linesep):
// scripts/demoData/sortingAnalyzer.ts `exportToPhySiUnitIdsTsv` makes them, and the curation command's
// test (relay/commands/curationSiExport.test.ts) checks that it gives exactly these.
describe('cluster_si_unit_ids.tsv (export_to_phy)', () => {
  it('int unit ids: cluster_id (a position) → si_unit_id, as pandas writes them', () => {
    expect(parseClusterSiUnitIds('cluster_id\tsi_unit_id\n0\t3\n1\t8\n2\t11\n')).toEqual(new Map([[0, 3], [1, 8], [2, 11]]));
  });

  it('string unit ids are kept as strings (all of them, as read_csv reads an object column), CRLF and quoting too', () => {
    expect(parseClusterSiUnitIds('cluster_id\tsi_unit_id\r\n0\ta\r\n1\t"b\tc"\r\n2\t7\r\n')).toEqual(new Map<number, number | string>([[0, 'a'], [1, 'b\tc'], [2, '7']]));
    expect(parseClusterSiUnitIds('cluster_id\tsi_unit_id\n0\t10\n1\t2\n')).toEqual(new Map([[0, 10], [1, 2]])); // numeric strings read back as ints, as pandas would
  });

  it('refuses a file that is not export_to_phy\'s', () => {
    expect(() => parseClusterSiUnitIds('cluster_id\tgroup\n0\tgood\n')).toThrow(/expected the columns cluster_id and si_unit_id/);
    expect(() => parseClusterSiUnitIds('cluster_id\tsi_unit_id\n0\t3\n0\t4\n')).toThrow(/cluster_id 0 is listed twice/);
    expect(() => parseClusterSiUnitIds('cluster_id\tsi_unit_id\n0\t3\n1\t3\n')).toThrow(/si_unit_id 3 is listed twice/);
    expect(() => parseClusterSiUnitIds('cluster_id\tsi_unit_id\nx\t3\n')).toThrow(/line 2: cluster_id "x" is not a non-negative integer/);
  });

  it('the sorting\'s clusters: each must have its SI id (phy merges or an empty unit before the last break the numbering)', () => {
    const map = parseClusterSiUnitIds('cluster_id\tsi_unit_id\n0\t3\n1\t8\n2\t11\n');
    expect(siUnitIdsFor(map, [0, 2])).toEqual(new Map([[0, 3], [2, 11]]));
    // phy's merge of 1 and 2 made cluster 3.
    expect(() => siUnitIdsFor(map, [0, 3])).toThrow(/has no SpikeInterface unit id for cluster\(s\) 3 of the sorting: .*moving cluster_si_unit_ids\.tsv away/);
  });
});
