/** Waveform kernels: pure computations over typed arrays, shared by the worker and the browser. */
export * from './amplitudes';
export * from './averageWaveform';
export * from './channels';
export * from './errors';
export * from './filter';
export * from './minmax';
export * from './pca';
export * from './peakChannels';
export * from './sampling';
export * from './snippets';
export * from './snr';
export * from './templateSimilarity';
