import { describe, expect, it } from 'vitest';
import { unitMetricsFileSchema } from '../tasks/contracts/unitMetrics';
import { combineMetricsFiles, idsNotInSorting, metricLabel, metricsFromPhyClusterFile, metricsFromSpikeInterfaceCsv } from './importedMetrics';

/**
 * The texts are what the writers print (SpikeInterface 0.105.0 a5f7dbb3 `AnalyzerExtension._save_data`:
 * `DataFrame.to_csv(path, index=True)`; phylib `_write_tsv_simple` / `write_tsv`, which use Python's csv
 * module, lineterminator "\r\n"): floats in Python repr (numpy `astype(str)`), NaN as an empty field.
 */
const byName = (ms: { name: string; data: Record<string, number | null> }[]) => Object.fromEntries(ms.map((m) => [m.name, m.data]));

describe('metricsFromSpikeInterfaceCsv: a quality_metrics metrics.csv', () => {
  // compute_quality_metrics on 3 units (ids 0, 5, 12), one with no spikes: NaN where SI could not compute.
  const qm = [
    ',num_spikes,firing_rate,presence_ratio,snr,isi_violations_ratio,isi_violations_count,amplitude_median,drift_ptp,sd_ratio',
    '0,250,8.333333333333334,1.0,12.873041152954102,0.0,0,-85.27234,,0.9812',
    '5,3,0.1,0.3333333333333333,4.5,37.03703703703704,1,-40.0,1e-05,',
    '12,0,0.0,0.0,,,0,,,',
    '',
  ].join('\n');

  it('every numeric column is a metric, keyed by unit id; NaN is null; the values are the doubles Python wrote', () => {
    const r = metricsFromSpikeInterfaceCsv(qm, 'quality_metrics/metrics.csv');
    expect(r.unitIds).toEqual([0, 5, 12]);
    expect(r.skipped).toEqual([]);
    expect(r.metrics.map((m) => m.name)).toEqual(['num_spikes', 'firing_rate', 'presence_ratio', 'snr', 'isi_violations_ratio', 'isi_violations_count', 'amplitude_median', 'drift_ptp', 'sd_ratio']);
    const d = byName(r.metrics);
    expect(d.snr).toEqual({ 0: 12.873041152954102, 5: 4.5, 12: null });
    expect(d.amplitude_median).toEqual({ 0: -85.27234, 5: -40, 12: null });
    expect(d.drift_ptp).toEqual({ 0: null, 5: 1e-5, 12: null });
    expect(d.num_spikes).toEqual({ 0: 250, 5: 3, 12: 0 });
    // JSON.stringify gives back Python's repr of each double: byte-identical numbers.
    expect(JSON.stringify(d.firing_rate)).toBe('{"0":8.333333333333334,"5":0.1,"12":0}');
    expect(r.metrics[3]).toMatchObject({ label: 'SNR', tooltip: 'snr from quality_metrics/metrics.csv' });
    expect(r.metrics[4].label).toBe('ISI violations ratio');
    expect(unitMetricsFileSchema.safeParse(r.metrics).success).toBe(true);
  });

  it('string unit ids that sortingview numbers: mapped by unitIdsByName, an id outside it refused', () => {
    const byName = new Map([['1', 0], ['x', 1], ['y', 2]]);
    const m = metricsFromSpikeInterfaceCsv(',snr\n1,1.0\nx,\ny,2.0\n', 'metrics.csv', { unitIdsByName: byName });
    expect(m.unitIds).toEqual([0, 1, 2]);
    expect(m.metrics[0].data).toEqual({ 0: 1, 1: null, 2: 2 });
    expect(() => metricsFromSpikeInterfaceCsv(',snr\nz,1.0\n', 'metrics.csv', { unitIdsByName: byName })).toThrow('metrics.csv line 2: unit id "z" is not one of the sorting\'s unit ids');
  });

  it('CRLF (pandas on Windows writes os.linesep), a named index, quoted headers, inf', () => {
    const text = 'unit_id,"amp, uV","say ""x""",snr\r\n3,-1.5,2,inf\r\n4,1e+16,-0.0,-inf\r\n';
    const r = metricsFromSpikeInterfaceCsv(text, 'metrics.csv');
    expect(r.unitIds).toEqual([3, 4]);
    expect(r.metrics.map((m) => m.name)).toEqual(['amp, uV', 'say "x"', 'snr']);
    expect(byName(r.metrics)['amp, uV']).toEqual({ 3: -1.5, 4: 1e16 });
    expect(byName(r.metrics).snr).toEqual({ 3: null, 4: null });
    expect(r.infinite).toBe(2);
  });

  it('repeated column names as pandas reads them (x, x.1); text and bool columns are skipped', () => {
    const r = metricsFromSpikeInterfaceCsv(',snr,snr,quality,flag\n1,2.0,3.0,good,True\n', 'm.csv');
    expect(r.metrics.map((m) => m.name)).toEqual(['snr', 'snr.1']);
    expect(r.skipped).toEqual(['quality (e.g. "good")', 'flag (e.g. "True")']);
  });

  it('a short row is NaN-filled (pandas); a long row, a duplicate id or a bad file is an error that says where', () => {
    expect(byName(metricsFromSpikeInterfaceCsv(',a,b\n1,2\n', 'm.csv').metrics).b).toEqual({ 1: null });
    expect(() => metricsFromSpikeInterfaceCsv(',a\n1,2,3\n', 'm.csv')).toThrow(/m\.csv line 2: 3 fields where the header has 2/);
    expect(() => metricsFromSpikeInterfaceCsv(',a\n1,2\n1,3\n', 'm.csv')).toThrow(/m\.csv line 3: unit id 1 is listed twice/);
    expect(() => metricsFromSpikeInterfaceCsv('', 'm.csv')).toThrow(/m\.csv is empty/);
    expect(() => metricsFromSpikeInterfaceCsv(',a\n1,"2\n', 'm.csv')).toThrow(/m\.csv: line 2: a quoted field is never closed/);
  });

  it('string unit ids: a clear error (not supported yet); non-integer ids too', () => {
    expect(() => metricsFromSpikeInterfaceCsv(',snr\n#a1,2.0\n', 'quality_metrics/metrics.csv'))
      .toThrow(/quality_metrics\/metrics\.csv line 2: unit id "#a1" is a string; string unit ids are not supported yet/);
    expect(() => metricsFromSpikeInterfaceCsv(',snr\n2.5,2.0\n', 'm.csv')).toThrow(/unit id "2\.5" is not an integer/);
  });

  it('at most 200 metric columns: the error names the file and the count', () => {
    const header = `,${Array.from({ length: 201 }, (_, i) => `m${i}`).join(',')}`;
    expect(() => metricsFromSpikeInterfaceCsv(`${header}\n`, 'template_metrics/metrics.csv')).toThrow(/template_metrics\/metrics\.csv has 201 columns besides the unit ids; at most 200/);
  });
});

describe('metricsFromPhyClusterFile: phy / Kilosort cluster_*.tsv', () => {
  it('cluster_<name>.tsv as phylib writes it (csv module: CRLF), text columns skipped', () => {
    const amp = metricsFromPhyClusterFile('cluster_id\tAmplitude\r\n0\t35.8\r\n3\t120.25\r\n', 'cluster_Amplitude.tsv');
    expect(amp.metrics).toEqual([{ name: 'Amplitude', label: 'Amplitude', tooltip: 'Amplitude from cluster_Amplitude.tsv', data: { 0: 35.8, 3: 120.25 } }]);
    const ks = metricsFromPhyClusterFile('cluster_id\tKSLabel\n0\tgood\n3\tmua\n', 'cluster_KSLabel.tsv');
    expect(ks.metrics).toEqual([]);
    expect(ks.skipped).toEqual(['KSLabel (e.g. "good")']);
  });

  it('cluster_info.tsv (phy\'s write_tsv: cluster_id first, the rest sorted, empty for None)', () => {
    const text = [
      'cluster_id\tAmplitude\tContamPct\tKSLabel\tamp\tch\tdepth\tfr\tgroup\tn_spikes\tsh',
      '0\t35.8\t100.0\tmua\t12.34567890\t3\t40.0\t1.23456789\t\t123\t0',
      '7\t80.1\t0.0\tgood\t45.00000000\t10\t220.0\t7.50000000\tgood\t2250\t0',
      '',
    ].join('\r\n');
    const r = metricsFromPhyClusterFile(text, 'cluster_info.tsv');
    expect(r.metrics.map((m) => m.name)).toEqual(['Amplitude', 'ContamPct', 'amp', 'ch', 'depth', 'fr', 'n_spikes', 'sh']);
    expect(r.skipped).toEqual(['KSLabel (e.g. "mua")', 'group (e.g. "good")']);
    expect(byName(r.metrics).fr).toEqual({ 0: 1.23456789, 7: 7.5 });
    expect(r.metrics.find((m) => m.name === 'ContamPct')!.label).toBe('Contamination (%)');
  });

  it('SpikeInterface export_to_phy (to_csv(sep="\\t", index=False)); a comma file; the id column found by name', () => {
    expect(byName(metricsFromPhyClusterFile('cluster_id\tsnr\n0\t\n1\t-2.5\n', 'cluster_snr.tsv').metrics).snr).toEqual({ 0: null, 1: -2.5 });
    expect(byName(metricsFromPhyClusterFile('cluster_id,x\n4,1\n', 'cluster_x.csv').metrics).x).toEqual({ 4: 1 });
    expect(metricsFromPhyClusterFile('x\tcluster_id\n1.5\t9\n', 'cluster_x.tsv').unitIds).toEqual([9]);
    expect(() => metricsFromPhyClusterFile('cluster_id\tx\nabc\t1\n', 'cluster_x.tsv')).toThrow(/cluster_x\.tsv line 2: cluster id "abc" is a string; string unit ids are not supported yet/);
  });
});

describe('labels and combining files', () => {
  it('readable labels: a table for the usual columns, words otherwise', () => {
    expect(['snr', 'isi_violations_ratio', 'rp_contamination', 'l_ratio', 'firing_rate', 'my_cv_thing', 'Custom'].map(metricLabel))
      .toEqual(['SNR', 'ISI violations ratio', 'RP contamination', 'L-ratio', 'Firing rate', 'My CV thing', 'Custom']);
  });

  it('a name found again in a later file is skipped; one line for text columns, one for repeats', () => {
    const qm = metricsFromSpikeInterfaceCsv(',snr,firing_rate\n1,2.0,3.0\n', 'quality_metrics/metrics.csv');
    const tm = metricsFromSpikeInterfaceCsv(',snr,half_width\n1,9.0,0.0001\n2,1,2\n', 'template_metrics/metrics.csv');
    const ks = metricsFromPhyClusterFile('cluster_id\tKSLabel\n1\tgood\n77\tmua\n', 'cluster_KSLabel.tsv');
    const r = combineMetricsFiles([{ fileName: 'quality_metrics/metrics.csv', parsed: qm }, { fileName: 'template_metrics/metrics.csv', parsed: tm }, { fileName: 'cluster_KSLabel.tsv', parsed: ks }]);
    expect(r.metrics.map((m) => m.name)).toEqual(['snr', 'firing_rate', 'half_width']);
    expect(byName(r.metrics).snr).toEqual({ 1: 2 });
    expect(r.unitIds).toEqual([1, 2]); // not 77: a file of text columns only adds no units
    expect(r.notes).toEqual([
      'Skipped columns that are not numbers (not metrics): KSLabel (e.g. "good") in cluster_KSLabel.tsv',
      'Skipped metrics already taken from an earlier file: snr in template_metrics/metrics.csv (taken from quality_metrics/metrics.csv)',
    ]);
    expect(idsNotInSorting([1, 2, 40, 3], [1, 2])).toEqual([3, 40]);
  });

  it('more than 200 metrics together is an error naming the files', () => {
    const file = (k: number) => metricsFromSpikeInterfaceCsv(`,${Array.from({ length: 150 }, (_, i) => `f${k}_${i}`).join(',')}\n1,${Array(150).fill('1').join(',')}\n`, `f${k}.csv`);
    expect(() => combineMetricsFiles([{ fileName: 'f1.csv', parsed: file(1) }, { fileName: 'f2.csv', parsed: file(2) }])).toThrow(/f1\.csv, f2\.csv hold 300 metrics together; at most 200/);
  });
});
