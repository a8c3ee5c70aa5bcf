/**
 * Probe layouts for the demo: a Neuropixels 1.0 shank (384 channels: 4 staggered columns, x = 43, 11,
 * 59, 27 µm repeating, 20 µm rows), and a small 16-channel two-column probe for the MDA/NWB demo.
 */
export interface Probe {
  geom: [number, number][];
  groups: number[];
}

export function neuropixels1(): Probe {
  const xs = [43, 11, 59, 27];
  const geom = Array.from({ length: 384 }, (_, c) => [xs[c % 4], 20 * Math.floor(c / 2)] as [number, number]);
  return { geom, groups: geom.map(() => 0) };
}

export function smallProbe(numChannels = 16): Probe {
  const geom = Array.from({ length: numChannels }, (_, c) => [c % 2 === 0 ? 0 : 20, 20 * Math.floor(c / 2) + (c % 2) * 10] as [number, number]);
  return { geom, groups: geom.map(() => 0) };
}

export interface SpikeGlxMetaInput {
  binFileName: string;
  fileSizeBytes: number;
  numFrames: number;
  sampleRateHz: number;
  sha1: string;
  apGain: number;
}

/**
 * A complete NP1.0 AP `.meta` (SpikeGLX 2023 style): 385 saved channels (384 AP + SY), imroTbl with
 * the AP/LF gains of every channel, snsChanMap, snsShankMap and snsGeomMap.
 */
export function spikeGlxMetaText(m: SpikeGlxMetaInput): string {
  const n = 384;
  const xs = [43, 11, 59, 27];
  const lines: [string, string][] = [
    ['acqApLfSy', '384,384,1'],
    ['appVersion', '20230905'],
    ['fileCreateTime', '2021-01-01T00:00:00'],
    ['fileName', m.binFileName],
    ['fileSHA1', m.sha1.toUpperCase()],
    ['fileSizeBytes', String(m.fileSizeBytes)],
    ['fileTimeSecs', String(m.numFrames / m.sampleRateHz)],
    ['firstSample', '0'],
    ['gateMode', 'Immediate'],
    ['imAiRangeMax', '0.6'],
    ['imAiRangeMin', '-0.6'],
    ['imCalibrated', 'true'],
    ['imDatApi', '3.62.1'],
    ['imDatBs_fw', '2.0.137'],
    ['imDatBsc_fw', '3.2.176'],
    ['imDatBsc_hw', '2.1'],
    ['imDatBsc_pn', 'NP2_QBSC_00'],
    ['imDatBsc_sn', '0'],
    ['imDatFx_hw', '1.2'],
    ['imDatFx_pn', 'NP2_FLEX_0'],
    ['imDatHs_fw', '5.2'],
    ['imDatHs_pn', 'NP2_HS_30'],
    ['imDatHs_sn', '0'],
    ['imDatPrb_dock', '1'],
    ['imDatPrb_pn', 'PRB_1_4_0480_1'],
    ['imDatPrb_port', '1'],
    ['imDatPrb_slot', '2'],
    ['imDatPrb_sn', '0'],
    ['imDatPrb_type', '0'],
    ['imLEDEnable', 'false'],
    ['imMaxInt', '512'],
    ['imRoFile', ''],
    ['imSampRate', String(m.sampleRateHz)],
    ['imStdby', ''],
    ['imTrgRising', 'true'],
    ['imTrgSource', '0'],
    ['nDataDirs', '1'],
    ['nSavedChans', String(n + 1)],
    ['snsApLfSy', '384,0,1'],
    ['snsSaveChanSubset', 'all'],
    ['syncImInputSlot', '6'],
    ['syncSourceIdx', '0'],
    ['syncSourcePeriod', '1'],
    ['trigMode', 'Immediate'],
    ['typeImEnabled', '1'],
    ['typeNiEnabled', '0'],
    ['typeObEnabled', '0'],
    ['typeThis', 'imec'],
    ['userNotes', 'sortingview demo data (simulated)'],
    ['~imroTbl', `(0,${n})` + Array.from({ length: n }, (_, c) => `(${c} 0 0 ${m.apGain} 250 1)`).join('')],
    ['~snsChanMap', `(384,0,1)` + Array.from({ length: n }, (_, c) => `(AP${c};${c}:${c})`).join('') + `(SY0;${n}:${n})`],
    ['~snsGeomMap', '(PRB_1_4_0480_1,1,0,70)' + Array.from({ length: n }, (_, c) => `(0:${xs[c % 4]}:${20 * Math.floor(c / 2)}:1)`).join('')],
    ['~snsShankMap', '(1,2,480)' + Array.from({ length: n }, (_, c) => `(0:${c % 2}:${Math.floor(c / 2)}:1)`).join('')],
  ];
  return lines.map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}
