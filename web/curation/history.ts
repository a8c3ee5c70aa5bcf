import { reduceCuration, type CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';

/**
 * Undo and redo over an append-only curation log (phy `_history.py`): nothing is ever removed from
 * the log, so undoing an action appends its inverse, computed from the state it was applied to and
 * touching only what that action changed (a collaborator's later edits to other units survive).
 * Redo appends the action again. Pure; the page keeps one history per sorting and session.
 */
export interface HistoryEntry {
  action: CurationAction;
  inverse: CurationAction[];
  description: string;
}

export interface CurationHistory {
  done: HistoryEntry[];
  undone: HistoryEntry[];
}

export const emptyHistory: CurationHistory = Object.freeze({ done: [], undone: [] }) as CurationHistory;
export const MAX_HISTORY = 200;

/** The actions that take `after` back to `before` for the units `action` changed (empty: it changed nothing). */
export function inverseOf(before: CurationState, action: CurationAction): CurationAction[] {
  const { state: after, update } = reduceCuration(before, action);
  if (!update.changed) return [];
  switch (action.type) {
    case 'ADD_UNIT_LABEL':
      return [{ type: 'REMOVE_UNIT_LABEL', unitId: update.labelsChanged, label: action.label }];
    case 'REMOVE_UNIT_LABEL':
      return [{ type: 'ADD_UNIT_LABEL', unitId: update.labelsChanged, label: action.label }];
    case 'MERGE_UNITS':
    case 'UNMERGE_UNITS': {
      const touched = new Set(update.mergeChanged);
      const out: CurationAction[] = [];
      // Take every touched unit out of its current group, then rebuild the groups they were in.
      const nowGrouped = after.mergeGroups.flat().filter((u) => touched.has(u));
      if (nowGrouped.length) out.push({ type: 'UNMERGE_UNITS', unitIds: nowGrouped });
      for (const g of before.mergeGroups) if (g.some((u) => touched.has(u))) out.push({ type: 'MERGE_UNITS', unitIds: g });
      // Untouched members of a split group were unmerged along with it: merge them back too.
      for (const g of after.mergeGroups) {
        const rest = g.filter((u) => !touched.has(u));
        if (rest.length >= 2 && !before.mergeGroups.some((b) => rest.every((u) => b.includes(u)) && b.length === rest.length)) out.push({ type: 'MERGE_UNITS', unitIds: rest });
      }
      return out;
    }
    case 'CLOSE_CURATION':
      return [{ type: 'REOPEN_CURATION' }];
    case 'REOPEN_CURATION':
      return [{ type: 'CLOSE_CURATION' }];
    case 'SET_CURATION':
      return [{ type: 'SET_CURATION', curation: before }];
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Records an action about to be appended to a log whose state is `before`. */
export function record(h: CurationHistory, before: CurationState, action: CurationAction): CurationHistory {
  const inverse = inverseOf(before, action);
  if (!inverse.length) return h;
  const { update } = reduceCuration(before, action);
  return { done: [...h.done, { action, inverse, description: update.description }].slice(-MAX_HISTORY), undone: [] };
}

/** What to append to undo the last action, and the history after. null: nothing to undo. */
export function undo(h: CurationHistory): { history: CurationHistory; append: CurationAction[]; description: string } | null {
  const last = h.done.at(-1);
  if (!last) return null;
  return { history: { done: h.done.slice(0, -1), undone: [...h.undone, last] }, append: last.inverse, description: `undo: ${last.description}` };
}

export function redo(h: CurationHistory): { history: CurationHistory; append: CurationAction[]; description: string } | null {
  const last = h.undone.at(-1);
  if (!last) return null;
  return { history: { done: [...h.done, last], undone: h.undone.slice(0, -1) }, append: [last.action], description: `redo: ${last.description}` };
}
