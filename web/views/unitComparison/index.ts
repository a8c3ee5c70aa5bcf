import { averageWaveformContract } from '../../../core/tasks/contracts/averageWaveform';
import { pairClusterFeaturesContract } from '../../../core/tasks/contracts/clusterFeatures';
import type { ViewPlugin } from '../types';
import { UnitComparisonView } from './UnitComparisonView';

export const unitComparisonView: ViewPlugin = {
  name: 'UnitComparison',
  label: 'Unit comparison',
  description: 'Two selected units: pair clusters and waveforms (merge or not?)',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [averageWaveformContract, pairClusterFeaturesContract],
  component: UnitComparisonView,
};
