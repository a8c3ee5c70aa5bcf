import { useMemo } from 'react';
import { templateSimilarityRequest, type TemplateSimilarityResult } from '../../../core/tasks/contracts/templateSimilarity';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useUnitSelectionForTask } from '../common/loaders';

/**
 * The template similarity request of the page (every unit; with merges applied, the displayed units
 * with their groups): one declaration, so the view and the wizard ask the same task and share its result.
 */
export function useTemplateSimilaritySpec(): ReturnType<typeof templateSimilarityRequest> {
  const { ref } = useSortingData();
  const { selection, displayedUnitIds } = useSelection();
  const forTask = useUnitSelectionForTask();
  const merged = selection.applyMerges && selection.mergeGroups.length > 0;
  return useMemo(() => templateSimilarityRequest(ref, merged ? displayedUnitIds.map(forTask) : undefined),
    [ref, merged, merged ? displayedUnitIds.join(',') : '', forTask]); // eslint-disable-line react-hooks/exhaustive-deps
}

const rep = (sel: number | number[]) => (typeof sel === 'number' ? sel : Math.min(...sel));

/** similarity(a, b) of two displayed units (NaN when the result does not hold one of them). */
export function similarityLookup(r: TemplateSimilarityResult): (a: number, b: number) => number {
  const K = r.unit_ids.length;
  const indexOf = new Map(r.unit_ids.map((s, i) => [rep(s), i]));
  const sim = r.similarity.data;
  return (a, b) => {
    const i = indexOf.get(a);
    const j = indexOf.get(b);
    return i === undefined || j === undefined ? NaN : sim[i * K + j];
  };
}
