import { individualClusterFeaturesContract } from '../../../core/tasks/contracts/clusterFeatures';
import type { ViewPlugin } from '../types';
import { ClustersView } from './ClustersView';

export const clustersView: ViewPlugin = {
  name: 'Clusters',
  label: 'PCA clusters',
  description: 'PC1/PC2 of each selected unit\'s spikes',
  singleton: true,
  defaultArea: 'south',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [individualClusterFeaturesContract],
  component: ClustersView,
};
