import { describe, expect, it } from 'vitest';
import { initialSortingSelection } from '../../core/reducers/selection';
import { commandEffect, commandFor, keyBelongsToPage, keyName, SHORTCUTS } from './shortcuts';

const ev = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('shortcuts', () => {
  it('spells keys as the help table does', () => {
    expect(keyName(ev('a'))).toBe('a');
    expect(keyName(ev('z', { ctrlKey: true }))).toBe('Ctrl+Z');
    expect(keyName(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+Z');
    expect(keyName(ev('z', { metaKey: true }))).toBe('Ctrl+Z');
    expect(keyName(ev('M', { shiftKey: true }))).toBe('Shift+M');
    expect(keyName(ev('?', { shiftKey: true }))).toBe('?');
    expect(keyName(ev('ArrowLeft', { shiftKey: true }))).toBe('Shift+ArrowLeft');
    expect(keyName(ev('a', { altKey: true }))).toBeNull();
    expect(keyName(ev(' '))).toBe('Space');
    expect(keyName(ev(' ', { shiftKey: true }))).toBe('Shift+Space');
    expect(keyName(ev('PageDown'))).toBe('PageDown');
  });

  it('maps keys to commands; every table entry is reachable and unique', () => {
    expect(commandFor(ev('a'))).toEqual({ kind: 'label', label: 'accept' });
    expect(commandFor(ev('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(commandFor(ev('q'))).toBeNull();
    expect(commandFor(ev('PageDown'))).toEqual({ kind: 'neighbourUnit', direction: 1 });
    expect(commandFor(ev('['))).toEqual({ kind: 'neighbourUnit', direction: -1 });
    expect(commandFor(ev(' '))).toEqual({ kind: 'wizard', step: 'nextSimilar' });
    expect(commandFor(ev(' ', { shiftKey: true }))).toEqual({ kind: 'wizard', step: 'previousSimilar' });
    expect(commandEffect({ kind: 'wizard', step: 'nextBest' }, initialSortingSelection, [])).toEqual({ navigate: { kind: 'wizard', step: 'nextBest' } });
    const keys = SHORTCUTS.map((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('turns commands into effects on the selection and the curation, or says what to do first', () => {
    const none = initialSortingSelection;
    const two = { ...initialSortingSelection, selectedUnitIds: [4, 7] };
    expect(commandEffect({ kind: 'label', label: 'noise' }, two, [])).toEqual({ edit: [{ type: 'ADD_UNIT_LABEL', unitId: [4, 7], label: 'noise' }] });
    expect(commandEffect({ kind: 'label', label: 'noise' }, none, [])).toEqual({ say: 'Select units to label first' });
    expect(commandEffect({ kind: 'merge' }, { ...none, selectedUnitIds: [4] }, [])).toEqual({ say: 'Select two or more units to merge' });
    expect(commandEffect({ kind: 'merge' }, two, [])).toEqual({ edit: [{ type: 'MERGE_UNITS', unitIds: [4, 7] }] });
    expect(commandEffect({ kind: 'selectAll' }, none, [1, 2, 3])).toEqual({ select: { type: 'SET_SELECTED_UNITS', unitIds: [1, 2, 3] } });
    expect(commandEffect({ kind: 'timeHome' }, none, [])).toBeNull();
    expect(commandEffect({ kind: 'timeEnd' }, { ...none, timeRangeFrames: [100, 400], numFrames: 1000 }, [])).toEqual({ select: { type: 'SET_TIME_RANGE', range: [700, 1000] } });
  });

  it('leaves keys typed into fields to the fields, and all keys to an open dialog', () => {
    expect(keyBelongsToPage({ tagName: 'DIV' }, false)).toBe(true);
    expect(keyBelongsToPage(null, false)).toBe(true);
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) expect(keyBelongsToPage({ tagName }, false)).toBe(false);
    expect(keyBelongsToPage({ tagName: 'DIV', isContentEditable: true }, false)).toBe(false);
    expect(keyBelongsToPage({ tagName: 'DIV' }, true)).toBe(false);
  });
});
