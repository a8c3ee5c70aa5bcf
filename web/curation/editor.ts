import { curationReducer, initialCurationState, type CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';
import { describeCurationMessage } from './describe';
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type CurationHistory } from './history';
import type { CurationWriter } from './writer';

/**
 * The editing side of a sorting's curation, without React: optimistic appends (an action shows at
 * once, and is rolled back with the API's message when refused), undo and redo of this session's
 * actions, and the one rule deciding whether an edit may be sent at all (`editRefusal`), which the
 * buttons, the keyboard shortcuts and undo/redo all go through. The page's hook
 * (web/sorting/useCurationEditing.ts) subscribes to it.
 */
export interface PendingAppend {
  id: number;
  actions: CurationAction[];
  description: string;
  /** The log length that contains these actions (from the API's positions); null while the request is in flight. */
  untilLength: number | null;
}

export interface EditorSnapshot {
  /** The polled log's state with the pending actions applied on top. */
  curation: CurationState;
  /** Appends sent (or being sent) whose actions the polled log does not contain yet. */
  pending: PendingAppend[];
  canUndo: boolean;
  canRedo: boolean;
}

export const CLOSED_REFUSAL = 'The curation is marked complete: press "Reopen curation" to change labels or merges.';

/**
 * Why these actions may not be sent (null: they may). `readOnly` is the page's read-only reason.
 * A closed curation takes only REOPEN_CURATION (the reducer ignores anything else, so sending it would
 * report "Saved" for a change that is not applied).
 */
export function editRefusal(state: CurationState, actions: readonly CurationAction[], readOnly: string | null): string | null {
  if (readOnly) return readOnly;
  if (state.isClosed && actions.some((a) => a.type !== 'REOPEN_CURATION')) return CLOSED_REFUSAL;
  return null;
}

export interface EditorDeps {
  feedId: string;
  sortingId: string;
  /** Null when the page may not edit; `readOnly` then says why. */
  writer: CurationWriter | null;
  readOnly: string | null;
  notify(message: string): void;
  /** Called after a successful append (read the log again). */
  saved(): void;
  /** Called when the API refused an append with this error (e.g. to re-read permissions on a 403). */
  refused(err: unknown): void;
}

export class CurationEditor {
  private log: { state: CurationState; length: number } = { state: initialCurationState, length: 0 };
  private pending: PendingAppend[] = [];
  private history: CurationHistory = emptyHistory;
  private nextId = 1;
  private snap: EditorSnapshot;
  private listeners = new Set<() => void>();

  constructor(private deps: EditorDeps) {
    this.snap = this.compute();
  }

  /** The writer and read-only reason follow sign-in and permissions; the rest stays. */
  setAccess(writer: CurationWriter | null, readOnly: string | null): void {
    this.deps = { ...this.deps, writer, readOnly };
  }

  /** The polled log: pending appends it now contains stop being shown as pending. */
  setLog(state: CurationState | undefined, length: number): void {
    this.log = { state: state ?? initialCurationState, length };
    this.pending = this.pending.filter(this.notInLog);
    this.changed();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): EditorSnapshot => this.snap;

  /** The rule of `editRefusal` against what the page shows now. */
  refusal(actions: readonly CurationAction[]): string | null {
    return editRefusal(this.snap.curation, actions, this.deps.readOnly);
  }

  /** Appends actions, recording them for undo. Rejects (after notifying) when refused here or by the API. */
  async curate(actions: CurationAction[]): Promise<void> {
    let h = this.history;
    let s = this.snap.curation;
    for (const a of actions) {
      h = record(h, s, a);
      s = curationReducer(s, a);
    }
    await this.append(actions, actions.map(describeCurationMessage).join('; '));
    this.history = h;
    this.changed();
  }

  undo(): Promise<void> {
    return this.step(undoHistory(this.history), 'Nothing to undo');
  }

  redo(): Promise<void> {
    return this.step(redoHistory(this.history), 'Nothing to redo');
  }

  /** Appends an undo or redo step and moves the history on once it is saved. */
  private async step(s: ReturnType<typeof undoHistory>, nothing: string): Promise<void> {
    if (!s) return this.deps.notify(nothing);
    await this.append(s.append, s.description);
    this.history = s.history;
    this.changed();
  }

  private async append(actions: CurationAction[], description: string): Promise<void> {
    const refusal = this.refusal(actions);
    const writer = this.deps.writer;
    if (refusal || !writer) {
      const why = refusal ?? 'Curation is read-only';
      this.deps.notify(why);
      throw new Error(why);
    }
    const id = this.nextId++;
    this.pending = [...this.pending, { id, actions, description, untilLength: null }];
    this.changed();
    try {
      const { positions } = await writer.append(this.deps.feedId, this.deps.sortingId, actions);
      const untilLength = positions.length ? Math.max(...positions) + 1 : 0;
      this.pending = this.pending.map((p) => (p.id === id ? { ...p, untilLength } : p)).filter(this.notInLog);
      this.changed();
      this.deps.notify(`Saved: ${description}`);
      this.deps.saved();
    } catch (err) {
      this.pending = this.pending.filter((p) => p.id !== id);
      this.changed();
      this.deps.notify(`Not saved (${description}): ${(err as Error).message}`);
      this.deps.refused(err);
      throw err;
    }
  }

  /** Still to show as pending: in flight, or written where the polled log has not reached yet. */
  private readonly notInLog = (p: PendingAppend): boolean => p.untilLength === null || p.untilLength > this.log.length;

  private compute(): EditorSnapshot {
    return {
      curation: this.pending.flatMap((p) => p.actions).reduce(curationReducer, this.log.state),
      pending: this.pending,
      canUndo: this.history.done.length > 0,
      canRedo: this.history.undone.length > 0,
    };
  }

  private changed(): void {
    this.snap = this.compute();
    for (const l of this.listeners) l();
  }
}
