import { mergeGroupSummaryContract, unitsSummaryContract } from '../../../core/tasks/contracts/unitsTable';
import { unitMetricsContract } from '../../../core/tasks/contracts/unitMetrics';
import type { ViewPlugin } from '../types';
import { UnitsTableView } from './UnitsTableView';

export const unitsTableView: ViewPlugin = {
  name: 'UnitsTable',
  label: 'Units table',
  description: 'Every unit with its metrics and labels; select units here',
  singleton: true,
  defaultArea: 'north',
  canHandle: () => true,
  tasks: [unitsSummaryContract, mergeGroupSummaryContract, unitMetricsContract],
  component: UnitsTableView,
};
