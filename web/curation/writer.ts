import type { CurationAction } from '../../core/reducers/curationActions';

/**
 * How the page appends curation actions. Browsers append through the API with a verified sign-in
 * (DESIGN.md "Workspaces, curation, permissions"); that endpoint and sign-in are not there yet, so
 * for now there is no writer and the page explains why the controls are disabled. When they land,
 * `curationWriterFor` returns a writer and every control works unchanged (undo/redo included).
 */
export interface CurationWriter {
  append(feedId: string, sortingId: string, actions: CurationAction[]): Promise<void>;
}

export const READ_ONLY_REASON = 'Curation is read-only here: editing needs sign-in, which this deployment does not offer yet. ' +
  'Labels and merges are shown from the curation log; the controls will work once sign-in and edit permissions are available.';

export function curationWriterFor(_backend: { apiUrl: string } | null): { writer: CurationWriter | null; reason: string | null } {
  return { writer: null, reason: READ_ONLY_REASON };
}
