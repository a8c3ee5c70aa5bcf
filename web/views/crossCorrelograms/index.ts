import { correlogramMatrixContract } from '../../../core/tasks/contracts/correlograms';
import type { ViewPlugin } from '../types';
import { CrossCorrelogramsView } from './CrossCorrelogramsView';

export const crossCorrelogramsView: ViewPlugin = {
  name: 'CrossCorrelograms',
  label: 'Cross-correlograms',
  description: 'Auto- and cross-correlograms of the selected units (≤ 20)',
  singleton: false,
  defaultArea: 'south',
  canHandle: () => true,
  tasks: [correlogramMatrixContract],
  component: CrossCorrelogramsView,
};
