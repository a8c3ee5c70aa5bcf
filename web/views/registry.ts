import { autocorrelogramsView } from './autocorrelograms';
import { averageWaveformsView } from './averageWaveforms';
import { clustersView } from './clusters';
import { crossCorrelogramsView } from './crossCorrelograms';
import { electrodeGeometryView } from './electrodeGeometry';
import { featureView } from './featureView';
import { firingRatesView } from './firingRates';
import { isiHistogramsView } from './isiHistograms';
import { rasterView } from './raster';
import { spikeAmplitudesView } from './spikeAmplitudes';
import { templateSimilarityView } from './templateSimilarity';
import { tracesView } from './traces';
import type { ViewPlugin } from './types';
import { unitComparisonView } from './unitComparison';
import { unitsTableView } from './unitsTable';

/** Every sorting view, in the order of the "Open views" launcher (most used first). */
export const VIEW_REGISTRY: readonly ViewPlugin[] = [
  unitsTableView,
  averageWaveformsView,
  autocorrelogramsView,
  tracesView,
  electrodeGeometryView,
  crossCorrelogramsView,
  spikeAmplitudesView,
  isiHistogramsView,
  firingRatesView,
  clustersView,
  featureView,
  unitComparisonView,
  rasterView,
  templateSimilarityView,
];

const byName = new Map(VIEW_REGISTRY.map((v) => [v.name, v]));

export function findView(name: string): ViewPlugin | undefined {
  return byName.get(name);
}
