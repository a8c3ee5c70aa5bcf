import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { metricsFromPhyClusterFile, metricsFromSpikeInterfaceCsv } from '../../core/curation/importedMetrics';
import { dataFrameToCsv, phyClusterTsv, pyFloatRepr, type DataFrameCsv } from './pythonCsv';
import { sortingAnalyzerFiles } from './sortingAnalyzer';
import { smallAnalyzer } from './sortingAnalyzer.fixtures';

/**
 * pandas is not installable here (no network), but what `to_csv` does with the values is the stdlib's
 * `csv.writer` (QUOTE_MINIMAL) over numpy's `astype(str)` for float64 columns (pandas
 * `get_values_for_csv`), and both are here: the generator's text is checked byte for byte against them.
 */
const PY = String.raw`
import csv, io, json, sys
import numpy as np
spec = json.loads(sys.argv[1])
out = {}
xs = np.array([float(v) for v in spec['floats']], dtype=np.float64)
out['repr'] = [repr(float(x)) for x in xs]
out['astype'] = xs.astype(str).tolist()
def frame(df, sep, index, nl):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=nl, quoting=csv.QUOTE_MINIMAL)
    w.writerow(([df.get('indexName') or ''] if index else []) + [c['name'] for c in df['columns']])
    cols = []
    for c in df['columns']:
        if c['dtype'] == 'float64':
            a = np.array([np.nan if v is None else float(v) for v in c['values']], dtype=np.float64)
            s = a.astype(str).astype(object)
            s[np.isnan(a)] = ''
            cols.append(list(s))
        else:
            cols.append(['' if v is None else str(v) for v in c['values']])
    for i, u in enumerate(df['index']):
        w.writerow(([str(u)] if index else []) + [col[i] for col in cols])
    return buf.getvalue()
out['csv'] = frame(spec['df'], ',', True, '\n')
out['csv_windows'] = frame(spec['df'], ',', True, '\r\n')
out['tsv_export'] = frame(spec['df'], '\t', False, '\n')
buf = io.StringIO()
w = csv.writer(buf, delimiter='\t')
w.writerow(['cluster_id', 'Amplitude'])
w.writerows([(k, float(v)) for k, v in sorted(spec['phy'].items(), key=lambda kv: int(kv[0]))])
out['phy'] = buf.getvalue().replace('\r\n', '\n').replace('\n', '\r\n')
print(json.dumps(out))
`;

describe('pythonCsv: text as pandas to_csv and phylib write it', () => {
  const floats = [0.1, 1 / 3, 8.333333333333334, 1e-5, 0.0001, 123456789012345.6, 1e16, 1.5e16, 2 ** 60, -85.27234, 3, -0, 5e-324, 1.7976931348623157e308, 12.873041152954102, 1e-7, 0.000123];
  const df: DataFrameCsv = {
    index: [0, 5, 12],
    columns: [
      { name: 'num_spikes', dtype: 'int64', values: [250, 3, 0] },
      { name: 'snr', dtype: 'float64', values: [12.873041152954102, null, 1e-5] },
      { name: 'amp, uV', dtype: 'float64', values: [-85.27234, 3, 1e16] },
      { name: 'say "x"', dtype: 'object', values: ['a,b', null, 'line\nbreak'] },
    ],
  };
  const phy = new Map([[3, 120.25], [0, 35.8], [7, 100]]);
  const py = JSON.parse(execFileSync('python3', ['-c', PY, JSON.stringify({ floats: floats.map((x) => (Object.is(x, -0) ? '-0.0' : String(x))), df, phy: Object.fromEntries(phy) })], { encoding: 'utf8' }));

  it('floats in Python repr (numpy astype(str) prints the same)', () => {
    expect(floats.map(pyFloatRepr)).toEqual(py.repr);
    expect(py.astype).toEqual(py.repr);
  });

  it('DataFrame.to_csv byte for byte: index, quoting, NaN, Windows line ends, export_to_phy\'s tsv', () => {
    expect(dataFrameToCsv(df)).toBe(py.csv);
    expect(dataFrameToCsv(df, { lineterminator: '\r\n' })).toBe(py.csv_windows);
    expect(dataFrameToCsv(df, { sep: '\t', index: false })).toBe(py.tsv_export);
    expect(phyClusterTsv('Amplitude', phy)).toBe(py.phy);
  });

  it('what it writes reads back to the same doubles (the import\'s parsers)', () => {
    for (const text of [py.csv, py.csv_windows]) {
      const r = metricsFromSpikeInterfaceCsv(text, 'metrics.csv');
      expect(r.metrics.map((m) => m.name)).toEqual(['num_spikes', 'snr', 'amp, uV']);
      expect(r.metrics[1].data).toEqual({ 0: 12.873041152954102, 5: null, 12: 1e-5 });
      expect(r.metrics[2].data).toEqual({ 0: -85.27234, 5: 3, 12: 1e16 });
      expect(r.skipped).toEqual(['say "x" (e.g. "a,b")']);
    }
    expect(metricsFromPhyClusterFile(py.phy, 'cluster_Amplitude.tsv').metrics[0].data).toEqual({ 0: 35.8, 3: 120.25, 7: 100 });
  });
});

describe('sortingAnalyzerFiles: the quality_metrics and template_metrics extensions', () => {
  it('metrics.csv as to_csv(index=True) writes it, runtime_s.json and params.json as Python\'s json prints them', () => {
    const a = smallAnalyzer();
    a.extensions = {
      ...a.extensions,
      qualityMetrics: { columns: [{ name: 'snr', dtype: 'float64', values: [4.5, null, 0.1] }, { name: 'num_spikes', dtype: 'int64', values: [4, 0, 2] }], lineterminator: '\r\n' },
      templateMetrics: { columns: [{ name: 'half_width', dtype: 'float64', values: [0.0002, 0.0003, 1e-5] }] },
    };
    const files = sortingAnalyzerFiles(a);
    const text = (k: string) => new TextDecoder().decode(files[k] as Uint8Array);
    expect(text('extensions/quality_metrics/metrics.csv')).toBe(',snr,num_spikes\r\n2,4.5,4\r\n4,,0\r\n7,0.1,2\r\n');
    expect(text('extensions/template_metrics/metrics.csv')).toBe(',half_width\n2,0.0002\n4,0.0003\n7,1e-05\n');
    expect(JSON.parse(text('extensions/quality_metrics/info.json')).class).toBe('spikeinterface.metrics.quality.quality_metrics.ComputeQualityMetrics');
    const check = String.raw`
import json, sys
texts = json.loads(sys.argv[1])
print(json.dumps({k: json.dumps(json.loads(v), indent=None if k.endswith('runtime_s.json') else 4) == v for k, v in texts.items()}))
`;
    const jsons = Object.fromEntries(['quality_metrics', 'template_metrics'].flatMap((e) => ['params.json', 'runtime_s.json', 'info.json', 'run_info.json'].map((f) => [`${e}/${f}`, text(`extensions/${e}/${f}`)])));
    const same = JSON.parse(execFileSync('python3', ['-c', check, JSON.stringify(jsons)], { encoding: 'utf8' }));
    for (const [k, v] of Object.entries(same)) expect(v, k).toBe(true);
    expect(Object.keys(JSON.parse(jsons['quality_metrics/params.json']))).toEqual(['metric_names', 'metrics_to_compute', 'delete_existing_metrics', 'metric_params', 'periods', 'use_valid_periods', 'seed', 'skip_pc_metrics']);
    expect(metricsFromSpikeInterfaceCsv(text('extensions/quality_metrics/metrics.csv'), 'quality_metrics/metrics.csv').metrics[0].data).toEqual({ 2: 4.5, 4: null, 7: 0.1 });
  });
});
