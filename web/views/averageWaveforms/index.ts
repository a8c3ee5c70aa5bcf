import { averageWaveformContract } from '../../../core/tasks/contracts/averageWaveform';
import type { ViewPlugin } from '../types';
import { AverageWaveformsView } from './AverageWaveformsView';

export const averageWaveformsView: ViewPlugin = {
  name: 'AverageWaveforms',
  label: 'Average waveforms',
  description: 'Mean waveform of each unit on its channels (geometry or vertical layout)',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [averageWaveformContract],
  component: AverageWaveformsView,
};
