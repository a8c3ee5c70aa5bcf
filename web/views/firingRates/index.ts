import { firingRateContract } from '../../../core/tasks/contracts/spikeTrainHistograms';
import type { ViewPlugin } from '../types';
import { FiringRatesView } from './FiringRatesView';

export const firingRatesView: ViewPlugin = {
  name: 'FiringRates',
  label: 'Firing rate over time',
  description: 'Spikes per second of each selected unit in time bins across the whole recording',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording (its duration)'),
  tasks: [firingRateContract],
  component: FiringRatesView,
};
