import { rasterContract } from '../../../core/tasks/contracts/raster';
import { timeseriesSegmentContract } from '../../../core/tasks/contracts/recording';
import type { ViewPlugin } from '../types';
import { TracesView } from './TracesView';

export const tracesView: ViewPlugin = {
  name: 'Traces',
  label: 'Raw traces',
  description: 'The recording around the cursor, with spike markers of the selected units',
  singleton: true,
  defaultArea: 'north',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [timeseriesSegmentContract, rasterContract],
  component: TracesView,
};
