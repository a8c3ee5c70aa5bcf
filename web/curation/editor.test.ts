import { describe, expect, it } from 'vitest';
import { curationReducer, initialCurationState, type CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';
import { CLOSED_REFUSAL, CurationEditor, editRefusal } from './editor';
import type { CurationWriter } from './writer';

/** A log the fake API appends to; each append waits until the test releases it (or refuses it). */
function fakeApi() {
  const log: CurationAction[] = [];
  const waiting: { actions: CurationAction[]; resolve(): void; reject(e: Error): void }[] = [];
  const writer: CurationWriter = {
    append: (_feed, _sorting, actions) => new Promise((resolve, reject) => {
      waiting.push({
        actions,
        resolve: () => {
          const first = log.length;
          log.push(...actions);
          resolve({ positions: actions.map((_, i) => first + i) });
        },
        reject,
      });
    }),
  };
  return { log, waiting, writer, state: (): CurationState => log.reduce(curationReducer, initialCurationState) };
}

function setup(readOnly: string | null = null) {
  const api = fakeApi();
  const notes: string[] = [];
  const refused: unknown[] = [];
  let saves = 0;
  const editor = new CurationEditor({
    feedId: 'f', sortingId: 's', writer: readOnly ? null : api.writer, readOnly,
    notify: (m) => notes.push(m), saved: () => saves++, refused: (e) => refused.push(e),
  });
  const poll = () => editor.setLog(api.state(), api.log.length);
  return { api, editor, notes, refused, poll, saves: () => saves };
}

const label = (unitId: number[], l: string): CurationAction => ({ type: 'ADD_UNIT_LABEL', unitId, label: l });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('CurationEditor', () => {
  it('shows an append at once, keeps it pending until the polled log holds it, then drops it from pending', async () => {
    const { api, editor, poll, notes, saves } = setup();
    let notified = 0;
    editor.subscribe(() => notified++);
    const done = editor.curate([label([3], 'accept')]);
    expect(editor.snapshot().curation.labelsByUnit).toEqual({ 3: ['accept'] });
    expect(editor.snapshot().pending.map((p) => p.untilLength)).toEqual([null]);
    api.waiting[0].resolve();
    await done;
    expect(notes.at(-1)).toMatch(/^Saved: /);
    expect(saves()).toBe(1);
    // Written but not polled yet: still shown, as "waiting for the log".
    expect(editor.snapshot().pending.map((p) => p.untilLength)).toEqual([1]);
    poll();
    expect(editor.snapshot().pending).toEqual([]);
    expect(editor.snapshot().curation.labelsByUnit).toEqual({ 3: ['accept'] });
    expect(notified).toBeGreaterThan(2);
  });

  it('rolls a refused append back and says why, and the refusal reaches the page', async () => {
    const { api, editor, notes, refused } = setup();
    const done = editor.curate([label([1], 'noise')]);
    expect(editor.snapshot().curation.labelsByUnit).toEqual({ 1: ['noise'] });
    const err = new Error('you have no edit permission on this workspace');
    api.waiting[0].reject(err);
    await expect(done).rejects.toBe(err);
    expect(editor.snapshot().curation.labelsByUnit).toEqual({});
    expect(editor.snapshot().pending).toEqual([]);
    expect(editor.snapshot().canUndo).toBe(false);
    expect(notes.at(-1)).toBe('Not saved (label 1 "noise"): you have no edit permission on this workspace');
    expect(refused).toEqual([err]);
  });

  it('undo appends the inverse and redo the action again; a collaborator\'s edit to another unit survives', async () => {
    const { api, editor, poll } = setup();
    const step = async (p: Promise<void>) => {
      await flush();
      api.waiting.at(-1)!.resolve();
      await p;
      poll();
    };
    await step(editor.curate([label([5], 'reject')]));
    api.log.push(label([6], 'mua')); // someone else
    poll();
    expect(editor.snapshot().canUndo).toBe(true);
    await step(editor.undo());
    expect(api.log.at(-1)).toEqual({ type: 'REMOVE_UNIT_LABEL', unitId: [5], label: 'reject' });
    expect(editor.snapshot().curation.labelsByUnit).toEqual({ 6: ['mua'] });
    expect(editor.snapshot()).toMatchObject({ canUndo: false, canRedo: true });
    await step(editor.redo());
    expect(api.log.at(-1)).toEqual(label([5], 'reject'));
    expect(editor.snapshot().curation.labelsByUnit).toEqual({ 5: ['reject'], 6: ['mua'] });
  });

  it('nothing to undo is said, not sent', async () => {
    const { api, editor, notes } = setup();
    await editor.undo();
    await editor.redo();
    expect(notes).toEqual(['Nothing to undo', 'Nothing to redo']);
    expect(api.waiting).toEqual([]);
  });

  it('a closed curation refuses every edit but reopening: nothing is sent, nothing reported saved', async () => {
    const { api, editor, poll, notes } = setup();
    api.log.push({ type: 'CLOSE_CURATION' });
    poll();
    await expect(editor.curate([label([2], 'accept')])).rejects.toThrow(CLOSED_REFUSAL);
    await expect(editor.curate([{ type: 'MERGE_UNITS', unitIds: [1, 2] }])).rejects.toThrow(CLOSED_REFUSAL);
    expect(api.waiting).toEqual([]);
    expect(notes).toEqual([CLOSED_REFUSAL, CLOSED_REFUSAL]);
    expect(notes.some((n) => n.startsWith('Saved'))).toBe(false);
    const reopen = editor.curate([{ type: 'REOPEN_CURATION' }]);
    await flush();
    expect(api.waiting.map((w) => w.actions)).toEqual([[{ type: 'REOPEN_CURATION' }]]);
    api.waiting[0].resolve();
    await reopen;
  });

  it('a read-only page sends nothing and says why', async () => {
    const { editor, notes } = setup('Curation is read-only: you are not signed in.');
    await expect(editor.curate([label([1], 'accept')])).rejects.toThrow(/not signed in/);
    expect(notes).toEqual(['Curation is read-only: you are not signed in.']);
    expect(editor.snapshot().pending).toEqual([]);
  });
});

describe('editRefusal', () => {
  const closed = { ...initialCurationState, isClosed: true };
  it('says the read-only reason first, then the closed rule; reopening a closed curation is allowed', () => {
    expect(editRefusal(initialCurationState, [label([1], 'a')], null)).toBeNull();
    expect(editRefusal(closed, [label([1], 'a')], null)).toBe(CLOSED_REFUSAL);
    expect(editRefusal(closed, [{ type: 'REOPEN_CURATION' }], null)).toBeNull();
    expect(editRefusal(closed, [{ type: 'REOPEN_CURATION' }], 'signed out')).toBe('signed out');
  });
});
