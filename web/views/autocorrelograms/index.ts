import { correlogramContract } from '../../../core/tasks/contracts/correlograms';
import type { ViewPlugin } from '../types';
import { AutocorrelogramsView } from './AutocorrelogramsView';

export const autocorrelogramsView: ViewPlugin = {
  name: 'Autocorrelograms',
  label: 'Autocorrelograms',
  description: 'Spike-time autocorrelogram of each unit (refractory period, bursting)',
  singleton: true,
  defaultArea: 'south',
  canHandle: () => true,
  tasks: [correlogramContract],
  component: AutocorrelogramsView,
};
