import { rasterContract } from '../../../core/tasks/contracts/raster';
import type { ViewPlugin } from '../types';
import { RasterView } from './RasterView';

export const rasterView: ViewPlugin = {
  name: 'Raster',
  label: 'Raster',
  description: 'Spike times of every displayed unit over the recording',
  singleton: true,
  defaultArea: 'north',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording (for its length)'),
  tasks: [rasterContract],
  component: RasterView,
};
