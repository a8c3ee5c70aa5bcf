import { featureSpaceContract } from '../../../core/tasks/contracts/featureSpace';
import type { ViewPlugin } from '../types';
import { FeatureView } from './FeatureView';

export const featureView: ViewPlugin = {
  name: 'FeatureView',
  label: 'Feature view',
  description: 'The selected units in one shared PC space (phy\'s FeatureView): a channel\'s PC or time on each axis',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [featureSpaceContract],
  component: FeatureView,
};
