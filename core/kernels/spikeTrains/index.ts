/** Spike-train kernels: pure compute over typed arrays, shared by the worker and the browser. */
export * from './trains';
export * from './ccg';
export * from './correlogramPlotData';
export * from './isi';
export * from './firing';
export * from './comparison';
export * from './hungarian';
export * from './raster';
