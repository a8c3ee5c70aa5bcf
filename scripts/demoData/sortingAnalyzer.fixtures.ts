import type { SiAnalyzerInput } from './sortingAnalyzer';

/**
 * A small analyzer for tests: 3 channels (ids 0, 5, 9: not positions), 30 kHz, 2 segments, units 2, 4
 * (empty) and 7, templates of 1 + 2 ms, noise levels in µV, and a recording.json pointing at
 * `../rec_gone`, a folder that no longer exists.
 */
export function smallAnalyzer(over: Partial<SiAnalyzerInput['recording']> = {}): SiAnalyzerInput {
  const U = 3;
  const T = 30 + 60;
  const C = 3;
  return {
    sorting: { samplingFrequency: 30000, unitIds: [2, 4, 7], segments: [[[100, 40, 500], [], [41, 900]], [[7], [], []]] },
    recording: {
      channelIds: [0, 5, 9], numSamples: [1000, 20], dtype: 'int16', isFiltered: false,
      gainToUv: [0.195, 0.195, 0.195], offsetToUv: [0, 0, 0], groups: [0, 0, 1],
      positions: [[0, 0], [16, 20], [32, 40]], folderPath: '../rec_gone', relativePaths: true, ...over,
    },
    mainChannelIndex: [0, 1, 2],
    extensions: {
      noiseLevels: new Float32Array([3.9, 7.8, 5.85]),
      templates: {
        msBefore: 1, msAfter: 2,
        average: Float32Array.from({ length: U * T * C }, (_, i) => Math.sin(i) * 50),
        std: Float32Array.from({ length: U * T * C }, (_, i) => (i % 7) + 1),
      },
    },
  };
}
