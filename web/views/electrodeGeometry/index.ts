import { averageWaveformContract } from '../../../core/tasks/contracts/averageWaveform';
import { unitsSummaryContract } from '../../../core/tasks/contracts/unitsTable';
import type { ViewPlugin } from '../types';
import { ElectrodeGeometryView } from './ElectrodeGeometryView';

export const electrodeGeometryView: ViewPlugin = {
  name: 'ElectrodeGeometry',
  label: 'Electrode geometry',
  description: 'The probe: zoom and pan, shanks, units at their locations; select electrodes for the traces view',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [unitsSummaryContract, averageWaveformContract],
  component: ElectrodeGeometryView,
};
