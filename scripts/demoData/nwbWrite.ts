import { loadH5wasm } from '../../relay/formats/hdf5';

/**
 * A small NWB 2.x file written with h5wasm: one ElectricalSeries (int16 [frames][channels], with
 * `conversion` V per bit), the electrodes table (id, x, y, z, rel_x, rel_y, location, group,
 * group_name) and optionally a units table (spike_times + spike_times_index). Layout and
 * neurodata_type attributes follow the NWB core schema closely enough for pynwb to recognise; it
 * holds the whole recording in memory, so it is for demo and test data only.
 */
export interface NwbContent {
  sampleRateHz: number;
  startingTimeSec?: number;
  /** Write `timestamps` instead of `starting_time` + rate. */
  useTimestamps?: boolean;
  seriesName?: string;
  traces: Int16Array | Float32Array;
  numChannels: number;
  /** Volts per raw unit. */
  conversion: number;
  electrodes: { ids: number[]; relX: number[]; relY: number[]; groupNames: string[] };
  units?: { ids: number[]; spikeTimesSec: Float64Array[] };
  /** Extra ElectricalSeries to write (same electrodes), for tests of series selection. */
  extraSeries?: { name: string; rateHz: number; traces: Int16Array; numChannels: number }[];
  identifier?: string;
}

export async function writeNwbFile(path: string, c: NwbContent): Promise<void> {
  const h5wasm = await loadH5wasm();
  const f = new h5wasm.File(path, 'w');
  try {
    const typed = (g: { create_attribute(n: string, v: string): void }, type: string, ns = 'core') => {
      g.create_attribute('namespace', ns);
      g.create_attribute('neurodata_type', type);
    };
    f.create_attribute('nwb_version', '2.6.0');
    typed(f, 'NWBFile');
    f.create_dataset({ name: 'identifier', data: c.identifier ?? 'sortingview-demo' });
    f.create_dataset({ name: 'session_description', data: 'sortingview generated demo data' });
    f.create_dataset({ name: 'session_start_time', data: '2021-01-01T00:00:00+00:00' });
    f.create_dataset({ name: 'timestamps_reference_time', data: '2021-01-01T00:00:00+00:00' });
    f.create_dataset({ name: 'file_create_date', data: ['2021-01-01T00:00:00+00:00'] });
    f.create_group('analysis');
    f.create_group('processing');
    const stimulus = f.create_group('stimulus');
    stimulus.create_group('presentation');
    stimulus.create_group('templates');
    const general = f.create_group('general');
    const device = general.create_group('devices').create_group('probe');
    typed(device, 'Device');
    const ecephys = general.create_group('extracellular_ephys');
    const groupRefs = new Map<string, import('h5wasm').Reference>();
    for (const name of [...new Set(c.electrodes.groupNames)]) {
      const g = ecephys.create_group(name);
      typed(g, 'ElectrodeGroup');
      g.create_attribute('description', `shank ${name}`);
      g.create_attribute('location', 'unknown');
      g.create_hard_link('/general/devices/probe', 'device');
      groupRefs.set(name, g.create_reference());
    }
    const n = c.electrodes.ids.length;
    const table = ecephys.create_group('electrodes');
    typed(table, 'DynamicTable');
    table.create_attribute('description', 'metadata about extracellular electrodes');
    const cols = ['x', 'y', 'z', 'rel_x', 'rel_y', 'location', 'group', 'group_name'];
    table.create_attribute('colnames', cols);
    const col = (name: string, data: Float64Array | string[] | import('h5wasm').Reference[], description: string) => {
      const d = table.create_dataset({ name, data });
      typed(d, 'VectorData', 'hdmf-common');
      d.create_attribute('description', description);
    };
    const idDs = table.create_dataset({ name: 'id', data: new Int32Array(c.electrodes.ids) });
    typed(idDs, 'ElementIdentifiers', 'hdmf-common');
    const nan = new Float64Array(n).fill(NaN);
    col('x', nan, 'x coordinate in the brain (unknown)');
    col('y', nan, 'y coordinate in the brain (unknown)');
    col('z', nan, 'z coordinate in the brain (unknown)');
    col('rel_x', new Float64Array(c.electrodes.relX), 'x position on the probe (µm)');
    col('rel_y', new Float64Array(c.electrodes.relY), 'y position on the probe (µm)');
    col('location', c.electrodes.groupNames.map(() => 'unknown'), 'brain area');
    col('group', c.electrodes.groupNames.map((g) => groupRefs.get(g)!), 'electrode group');
    col('group_name', c.electrodes.groupNames, 'electrode group name');
    const tableRef = table.create_reference();

    const acquisition = f.create_group('acquisition');
    const writeSeries = (name: string, rateHz: number, traces: Int16Array | Float32Array, numChannels: number, conversion: number) => {
      const es = acquisition.create_group(name);
      typed(es, 'ElectricalSeries');
      es.create_attribute('description', 'raw voltage');
      es.create_attribute('comments', 'no comments');
      const frames = traces.length / numChannels;
      const data = es.create_dataset({
        name: 'data', data: traces, shape: [frames, numChannels], dtype: traces instanceof Int16Array ? '<h' : '<f',
        chunks: [Math.max(1, Math.min(frames, 4096)), numChannels],
      });
      data.create_attribute('conversion', conversion);
      data.create_attribute('offset', 0.0);
      data.create_attribute('resolution', -1.0);
      data.create_attribute('unit', 'volts');
      if (c.useTimestamps) {
        const t = new Float64Array(frames).map((_, i) => (c.startingTimeSec ?? 0) + i / rateHz);
        const ts = es.create_dataset({ name: 'timestamps', data: t });
        ts.create_attribute('interval', 1);
        ts.create_attribute('unit', 'seconds');
      } else {
        const st = es.create_dataset({ name: 'starting_time', data: c.startingTimeSec ?? 0 });
        st.create_attribute('rate', rateHz);
        st.create_attribute('unit', 'seconds');
      }
      const el = es.create_dataset({ name: 'electrodes', data: new Int32Array(numChannels).map((_, i) => i) });
      typed(el, 'DynamicTableRegion', 'hdmf-common');
      el.create_attribute('description', 'the electrodes of this series');
      el.create_attribute('table', tableRef);
    };
    writeSeries(c.seriesName ?? 'ElectricalSeries', c.sampleRateHz, c.traces, c.numChannels, c.conversion);
    for (const x of c.extraSeries ?? []) writeSeries(x.name, x.rateHz, x.traces, x.numChannels, c.conversion);

    if (c.units) {
      const units = f.create_group('units');
      typed(units, 'Units');
      units.create_attribute('description', 'spike-sorted units');
      units.create_attribute('colnames', ['spike_times']);
      const uid = units.create_dataset({ name: 'id', data: new Int32Array(c.units.ids) });
      typed(uid, 'ElementIdentifiers', 'hdmf-common');
      const total = c.units.spikeTimesSec.reduce((s, t) => s + t.length, 0);
      const all = new Float64Array(total);
      const index = new Int32Array(c.units.ids.length);
      let o = 0;
      c.units.spikeTimesSec.forEach((t, i) => {
        all.set(t, o);
        o += t.length;
        index[i] = o;
      });
      const st = units.create_dataset({ name: 'spike_times', data: all });
      typed(st, 'VectorData', 'hdmf-common');
      st.create_attribute('description', 'spike times (s)');
      const sti = units.create_dataset({ name: 'spike_times_index', data: index });
      typed(sti, 'VectorIndex', 'hdmf-common');
      sti.create_attribute('description', 'index into spike_times');
      sti.create_attribute('target', st.create_reference());
    }
  } finally {
    f.close();
  }
}
