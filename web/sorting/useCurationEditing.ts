import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { CurationState } from '../../core/reducers/curation';
import { ApiError } from '../auth/apiFetch';
import { CurationEditor, type EditorSnapshot } from '../curation/editor';
import type { CurationWriter } from '../curation/writer';

/**
 * The page's curation editing: a CurationEditor (web/curation/editor.ts, where the rules and their
 * tests are) kept for the sorting, fed with the polled log and the current access.
 */
export function useCurationEditing(o: {
  feedId: string; sortingId: string;
  log: { state: CurationState | undefined; length: number; refresh(): void };
  writer: CurationWriter | null; readOnly: string | null;
  notify(message: string): void;
  refreshPermissions(): void;
}): EditorSnapshot & { editor: CurationEditor } {
  const { feedId, sortingId, log, writer, readOnly, notify, refreshPermissions } = o;
  const refreshLog = log.refresh;
  const editor = useMemo(() => new CurationEditor({
    feedId, sortingId, writer, readOnly, notify,
    saved: () => refreshLog(),
    // Rights changed under us: read them again; the page turns read-only with the owner's answer.
    refused: (err) => { if (err instanceof ApiError && err.status === 403) refreshPermissions(); },
  }), [feedId, sortingId]); // eslint-disable-line react-hooks/exhaustive-deps -- one editor (and undo history) per sorting; access is updated below
  editor.setAccess(writer, readOnly);
  useEffect(() => editor.setLog(log.state, log.length), [editor, log.state, log.length]);
  const snap = useSyncExternalStore(editor.subscribe, editor.snapshot);
  return { ...snap, editor };
}
