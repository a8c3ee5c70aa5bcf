import { templateSimilarityContract } from '../../../core/tasks/contracts/templateSimilarity';
import type { ViewPlugin } from '../types';
import { TemplateSimilarityView } from './TemplateSimilarityView';

export const templateSimilarityView: ViewPlugin = {
  name: 'TemplateSimilarity',
  label: 'Template similarity',
  description: 'Similarity of unit templates, with merge suggestions',
  singleton: true,
  defaultArea: 'north',
  canHandle: (d) => (d.recording ? true : 'needs the sorting\'s recording'),
  tasks: [templateSimilarityContract],
  component: TemplateSimilarityView,
};
