import { spikeAmplitudesContract } from '../../../core/tasks/contracts/spikeAmplitudes';
import type { ViewPlugin } from '../types';
import { SpikeAmplitudesView } from './SpikeAmplitudesView';

export const spikeAmplitudesView: ViewPlugin = {
  name: 'SpikeAmplitudes',
  label: 'Spike amplitudes',
  description: 'Amplitude of every spike of the selected units over time',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [spikeAmplitudesContract],
  component: SpikeAmplitudesView,
};
