import { isiHistogramContract } from '../../../core/tasks/contracts/spikeTrainHistograms';
import type { ViewPlugin } from '../types';
import { IsiHistogramsView } from './IsiHistogramsView';

export const isiHistogramsView: ViewPlugin = {
  name: 'IsiHistograms',
  label: 'ISI histograms',
  description: 'Inter-spike-interval histogram of each unit, with the refractory period marked',
  singleton: true,
  defaultArea: 'south',
  canHandle: () => true,
  tasks: [isiHistogramContract],
  component: IsiHistogramsView,
};
