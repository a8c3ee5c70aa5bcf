import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../core/feeds';
import { taskHash, taskResultPath } from '../../core/protocol';
import { registryCheck } from '../../core/tasks/dataKwargs';
import { sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { parseSha1Uri, KacheryStore } from '../data/kachery';
import { addMetricsCommands } from './metricsImport';
import { curationHarness } from './testing';

/** `sortingview metrics import` on memory buckets (the curation harness's workspace with one sorting). */
async function harness() {
  const h = await curationHarness();
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    h.deps.stdout = (l) => out.push(l);
    h.deps.stderr = (l) => err.push(l);
    const program = new Command('sortingview').exitOverride().configureOutput({ writeErr: (x) => err.push(x), writeOut: (x) => out.push(x) });
    addMetricsCommands(program, h.deps);
    try {
      await program.parseAsync(['metrics', 'import', ...args], { from: 'user' });
      return { out, err, error: null as Error | null };
    } catch (e) {
      return { out, err, error: e as Error };
    }
  };
  /** The file a metrics URI names, read back from the kachery store. */
  const stored = async (uri: string) => {
    const found = await new KacheryStore(join(h.dir, 'kachery')).findFile(parseSha1Uri(uri).sha1);
    return JSON.parse(readFileSync(found!.path, 'utf8')) as { name: string; label: string; tooltip: string; data: Record<string, number | null> }[];
  };
  return { ...h, run, stored };
}

/** A binary_folder SortingAnalyzer's metric extensions, as SpikeInterface writes them (to_csv, index=True). */
function writeAnalyzer(dir: string) {
  mkdirSync(join(dir, 'extensions', 'quality_metrics'), { recursive: true });
  mkdirSync(join(dir, 'extensions', 'template_metrics'), { recursive: true });
  writeFileSync(join(dir, 'spikeinterface_info.json'), JSON.stringify({ version: '0.105.0', dev_mode: false, object: 'SortingAnalyzer' }, null, 4));
  writeFileSync(join(dir, 'extensions', 'quality_metrics', 'metrics.csv'), ',num_spikes,snr,isi_violations_ratio\n1,120,7.25,0.0\n2,3,,12.5\n');
  writeFileSync(join(dir, 'extensions', 'template_metrics', 'metrics.csv'), ',peak_to_valley,snr\n1,0.00045,1.0\n2,0.0003,2.0\n');
}

describe('sortingview metrics import', () => {
  it('a SortingAnalyzer folder: quality and template metrics, registered in the exact form printed and set for the sorting', async () => {
    const h = await harness();
    writeAnalyzer(join(h.dir, 'analyzer'));
    const r = await h.run(h.uri, 'analyzer', '--sorting-id', h.sortingId);
    expect(r.error).toBeNull();
    expect(r.out[0]).toBe('Imported 4 metric(s) for 2 unit(s) from quality_metrics/metrics.csv, template_metrics/metrics.csv');
    const uri = r.out.find((l) => l.startsWith('Unit metrics URI: '))!.slice('Unit metrics URI: '.length);
    expect(uri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/unit_metrics\.json$/);
    expect(r.err).toContain('Note: Skipped metrics already taken from an earlier file: snr in template_metrics/metrics.csv (taken from quality_metrics/metrics.csv)');
    expect(r.err.some((l) => /unit ids of S-\S+ are not known here yet/.test(l))).toBe(true);

    const metrics = await h.stored(uri);
    expect(metrics.map((m) => [m.name, m.label])).toEqual([['num_spikes', 'Spikes'], ['snr', 'SNR'], ['isi_violations_ratio', 'ISI violations ratio'], ['peak_to_valley', 'Peak to valley']]);
    expect(metrics[1]).toEqual({ name: 'snr', label: 'SNR', tooltip: 'snr from quality_metrics/metrics.csv', data: { 1: 7.25, 2: null } });
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    expect(state.sortings.find((s) => s.sortingId === h.sortingId)!.unitMetricsUri).toBe(uri);
    const registered = registryCheck((p) => h.stores.private.exists(p));
    expect(await registered('mylab', uri)).toBe(true);

    // The extension folder, or its metrics.csv, alone.
    const one = await h.run(h.uri, join('analyzer', 'extensions', 'template_metrics'), '--sorting-id', h.sortingId, '--json');
    expect(one.error).toBeNull();
    const json = JSON.parse(one.out.join('\n'));
    expect(json).toMatchObject({ metrics: ['peak_to_valley', 'snr'], units: 2, notInSorting: null });
    expect((await h.stored(json.metricsUri))[1].tooltip).toBe('snr from template_metrics/metrics.csv');
    const file = await h.run(h.uri, join('analyzer', 'extensions', 'quality_metrics', 'metrics.csv'), '--sorting-id', h.sortingId);
    expect(file.error).toBeNull();
  });

  it('a phy folder: every cluster_*.tsv but cluster_si_unit_ids.tsv, cluster_info.tsv last, text columns skipped in one line; warns about ids the sorting lacks', async () => {
    const h = await harness();
    const phy = join(h.dir, 'phy');
    mkdirSync(phy);
    writeFileSync(join(phy, 'cluster_Amplitude.tsv'), 'cluster_id\tAmplitude\r\n1\t35.8\r\n2\t120.25\r\n9\t1.5\r\n');
    writeFileSync(join(phy, 'cluster_KSLabel.tsv'), 'cluster_id\tKSLabel\r\n1\tgood\r\n2\tmua\r\n9\tmua\r\n');
    writeFileSync(join(phy, 'cluster_group.tsv'), 'cluster_id\tgroup\n1\tgood\n');
    writeFileSync(join(phy, 'cluster_info.tsv'), 'cluster_id\tAmplitude\tKSLabel\tfr\tgroup\r\n1\t35.8000\tgood\t2.5000\tgood\r\n2\t120.2500\tmua\t0.1000\t\r\n');
    writeFileSync(join(phy, 'params.py'), "dat_path = 'x.bin'\n");
    // export_to_phy's map of clusters to SpikeInterface's unit ids: not a metric, not read.
    writeFileSync(join(phy, 'cluster_si_unit_ids.tsv'), 'cluster_id\tsi_unit_id\n1\t10\n2\t20\n9\t90\n');
    // The sorting's unit ids are known: the cached sorting_info.3 result of the backend.
    const req = sortingInfoRequest(h.sorting.sortingPath);
    await h.stores.public.write(taskResultPath('mylab', taskHash(req.functionId, req.kwargs)), JSON.stringify({ unit_ids: [1, 2, 3], samplerate: 30000, sorting_object: {} }));

    const r = await h.run(h.uri, 'phy', '--sorting-id', h.sortingId);
    expect(r.error).toBeNull();
    expect(r.out[0]).toBe('Imported 2 metric(s) for 3 unit(s) from cluster_Amplitude.tsv, cluster_KSLabel.tsv, cluster_group.tsv, cluster_info.tsv');
    expect(r.err).toContain('Note: Skipped columns that are not numbers (not metrics): KSLabel (e.g. "good") in cluster_KSLabel.tsv; group (e.g. "good") in cluster_group.tsv; KSLabel (e.g. "good"), group (e.g. "good") in cluster_info.tsv');
    expect(r.err).toContain('Warning: 1 unit id(s) of the metrics are not in ' + h.sortingId + ': 9 (the units table shows only the sorting\'s units)');
    const uri = r.out.find((l) => l.startsWith('Unit metrics URI: '))!.slice('Unit metrics URI: '.length);
    const metrics = await h.stored(uri);
    // Amplitude from its own file (not cluster_info.tsv's rounded copy), fr from cluster_info.tsv.
    expect(metrics).toEqual([
      { name: 'Amplitude', label: 'Amplitude', tooltip: 'Amplitude from cluster_Amplitude.tsv', data: { 1: 35.8, 2: 120.25, 9: 1.5 } },
      { name: 'fr', label: 'Firing rate', tooltip: 'fr from cluster_info.tsv', data: { 1: 2.5, 2: 0.1 } },
    ]);
    // One file.
    const one = await h.run(h.uri, join('phy', 'cluster_Amplitude.tsv'), '--sorting-id', h.sortingId, '--json');
    expect(JSON.parse(one.out.join('\n'))).toMatchObject({ metrics: ['Amplitude'], units: 3, notInSorting: [9] });
  });

  it('refuses what it cannot import, saying why; nothing is registered or appended', async () => {
    const h = await harness();
    mkdirSync(join(h.dir, 'empty'));
    mkdirSync(join(h.dir, 'bare', 'extensions'), { recursive: true });
    writeFileSync(join(h.dir, 'strings.csv'), ',snr\nunit_a,1.0\n');
    writeFileSync(join(h.dir, 'cluster_KSLabel.tsv'), 'cluster_id\tKSLabel\n1\tgood\n');
    writeFileSync(join(h.dir, 'wide.csv'), `,${Array.from({ length: 250 }, (_, i) => `m${i}`).join(',')}\n`);
    writeFileSync(join(h.dir, 'notes.txt'), 'hello');
    writeFileSync(join(h.dir, 'big.csv'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x31));
    const cases: [string, RegExp][] = [
      ['nope', /No such file or folder: .*nope/],
      ['empty', /holds no metrics: expected a SpikeInterface SortingAnalyzer or extension folder \(metrics\.csv\) or a phy folder \(cluster_\*\.tsv\)/],
      ['bare', /is a SortingAnalyzer without quality or template metrics/],
      ['strings.csv', /strings\.csv line 2: unit id "unit_a" is a string; string unit ids are not supported yet/],
      ['cluster_KSLabel.tsv', /no numeric columns to import \(Skipped columns that are not numbers .*KSLabel/],
      ['wide.csv', /wide\.csv has 250 columns besides the unit ids; at most 200/],
      ['notes.txt', /neither a SpikeInterface metrics\.csv nor a phy cluster_\*\.tsv/],
      ['big.csv', /big\.csv is 16777217 bytes; a metrics file is at most 16777216/],
    ];
    for (const [path, why] of cases) {
      const r = await h.run(h.uri, path, '--sorting-id', h.sortingId);
      expect(r.error?.message, path).toMatch(why);
    }
    const unknown = await h.run(h.uri, 'strings.csv', '--sorting-id', 'S-000000000000');
    expect(unknown.error?.message).toMatch(/No sorting S-000000000000 in this workspace/);
    expect([...h.stores.private.objects.keys()].filter((k) => k.startsWith('objects/'))).toEqual([]);
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    expect(state.sortings[0].unitMetricsUri).toBeUndefined();
  });
});
