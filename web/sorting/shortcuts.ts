import type { CurationAction } from '../../core/reducers/curationActions';
import type { SelectionAction, SortingSelection } from '../../core/reducers/selection';
import type { Direction } from './navigation';
import type { WizardCommand } from './wizard';

/**
 * Keyboard shortcuts of the sorting page, as data: the help dialog lists this table and the page's
 * key handler looks commands up in it. Pure.
 */
export type Command =
  | { kind: 'label'; label: string }
  | { kind: 'merge' } | { kind: 'unmerge' }
  | { kind: 'undo' } | { kind: 'redo' }
  | { kind: 'selectAll' } | { kind: 'clearSelection' }
  | { kind: 'shiftTime'; fraction: number }
  | { kind: 'zoomTime'; factor: number }
  | { kind: 'amplitude'; direction: 'up' | 'down' }
  | { kind: 'timeHome' } | { kind: 'timeEnd' }
  | { kind: 'help' }
  | { kind: 'neighbourUnit'; direction: Direction }
  | { kind: 'wizard'; step: WizardCommand };

export interface Shortcut { keys: string; description: string; group: 'Curation' | 'Selection' | 'Navigation' | 'Time and amplitude' | 'Help'; command: Command }

export const SHORTCUTS: Shortcut[] = [
  { keys: 'a', description: 'Label the selected units "accept"', group: 'Curation', command: { kind: 'label', label: 'accept' } },
  { keys: 'r', description: 'Label the selected units "reject"', group: 'Curation', command: { kind: 'label', label: 'reject' } },
  { keys: 'n', description: 'Label the selected units "noise"', group: 'Curation', command: { kind: 'label', label: 'noise' } },
  { keys: 't', description: 'Label the selected units "artifact"', group: 'Curation', command: { kind: 'label', label: 'artifact' } },
  { keys: 'u', description: 'Label the selected units "mua"', group: 'Curation', command: { kind: 'label', label: 'mua' } },
  { keys: 'm', description: 'Merge the selected units', group: 'Curation', command: { kind: 'merge' } },
  { keys: 'Shift+M', description: 'Unmerge the selected units', group: 'Curation', command: { kind: 'unmerge' } },
  { keys: 'Ctrl+Z', description: 'Undo the last curation action of this session', group: 'Curation', command: { kind: 'undo' } },
  { keys: 'Ctrl+Shift+Z', description: 'Redo', group: 'Curation', command: { kind: 'redo' } },
  { keys: 'Ctrl+Y', description: 'Redo', group: 'Curation', command: { kind: 'redo' } },
  { keys: 'Ctrl+A', description: 'Select every displayed unit', group: 'Selection', command: { kind: 'selectAll' } },
  { keys: 'Escape', description: 'Clear the unit selection', group: 'Selection', command: { kind: 'clearSelection' } },
  // phy's wizard keys (Space, Shift+Space); phy's next/previous best (↓/↑) scale amplitudes here, so Page Down/Up and ] / [.
  { keys: 'PageDown', description: 'Select the next unit in the units table\'s order (phy\'s ↓, next best)', group: 'Navigation', command: { kind: 'neighbourUnit', direction: 1 } },
  { keys: 'PageUp', description: 'Select the previous unit in the units table\'s order (phy\'s ↑)', group: 'Navigation', command: { kind: 'neighbourUnit', direction: -1 } },
  { keys: ']', description: 'Next unit (as Page Down)', group: 'Navigation', command: { kind: 'neighbourUnit', direction: 1 } },
  { keys: '[', description: 'Previous unit (as Page Up)', group: 'Navigation', command: { kind: 'neighbourUnit', direction: -1 } },
  { keys: 'Space', description: 'Wizard: the most similar unit not yet shown with the best unit (nothing selected: the best unit)', group: 'Navigation', command: { kind: 'wizard', step: 'nextSimilar' } },
  { keys: 'Shift+Space', description: 'Wizard: back to the previous similar unit', group: 'Navigation', command: { kind: 'wizard', step: 'previousSimilar' } },
  { keys: 'b', description: 'Wizard: the next best unit (unlabelled, highest SNR first)', group: 'Navigation', command: { kind: 'wizard', step: 'nextBest' } },
  { keys: 'ArrowLeft', description: 'Shift time left by a fifth of the view (Shift: a whole view)', group: 'Time and amplitude', command: { kind: 'shiftTime', fraction: -0.2 } },
  { keys: 'ArrowRight', description: 'Shift time right', group: 'Time and amplitude', command: { kind: 'shiftTime', fraction: 0.2 } },
  { keys: 'Shift+ArrowLeft', description: 'Shift time left by a whole view', group: 'Time and amplitude', command: { kind: 'shiftTime', fraction: -1 } },
  { keys: 'Shift+ArrowRight', description: 'Shift time right by a whole view', group: 'Time and amplitude', command: { kind: 'shiftTime', fraction: 1 } },
  { keys: '+', description: 'Zoom in (time)', group: 'Time and amplitude', command: { kind: 'zoomTime', factor: 1.5 } },
  { keys: '=', description: 'Zoom in (time)', group: 'Time and amplitude', command: { kind: 'zoomTime', factor: 1.5 } },
  { keys: '-', description: 'Zoom out (time)', group: 'Time and amplitude', command: { kind: 'zoomTime', factor: 1 / 1.5 } },
  { keys: 'ArrowUp', description: 'Scale amplitudes up (×1.4)', group: 'Time and amplitude', command: { kind: 'amplitude', direction: 'up' } },
  { keys: 'ArrowDown', description: 'Scale amplitudes down', group: 'Time and amplitude', command: { kind: 'amplitude', direction: 'down' } },
  { keys: 'Home', description: 'Go to the start of the recording', group: 'Time and amplitude', command: { kind: 'timeHome' } },
  { keys: 'End', description: 'Go to the end of the recording', group: 'Time and amplitude', command: { kind: 'timeEnd' } },
  { keys: '?', description: 'Show this help', group: 'Help', command: { kind: 'help' } },
];

/** The key as the table spells it: modifiers (Ctrl, Shift) then the key; Meta counts as Ctrl. */
export function keyName(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): string | null {
  if (e.altKey) return null;
  const key = e.key === ' ' ? 'Space' : e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const ctrl = e.ctrlKey || e.metaKey;
  // Printable symbols already include shift ('?', '+'); letters and named keys get an explicit Shift.
  const shift = e.shiftKey && (/^[a-z]$/.test(key) || key.length > 1);
  return `${ctrl ? 'Ctrl+' : ''}${shift ? 'Shift+' : ''}${/^[a-z]$/.test(key) && (ctrl || shift) ? key.toUpperCase() : key}`;
}

const byKeys = new Map(SHORTCUTS.map((s) => [s.keys, s.command]));

export function commandFor(e: Parameters<typeof keyName>[0]): Command | null {
  const name = keyName(e);
  return name ? byKeys.get(name) ?? null : null;
}

/** What a command does on the page now: edit the curation, change the selection, or say why not. Pure. */
export type CommandEffect =
  | { edit: CurationAction[] }
  | { undo: true } | { redo: true }
  | { select: SelectionAction }
  | { say: string }
  | { help: true }
  | { navigate: Extract<Command, { kind: 'neighbourUnit' | 'wizard' }> }
  | null;

export function commandEffect(c: Command, s: SortingSelection, displayedUnitIds: number[]): CommandEffect {
  const selected = s.selectedUnitIds;
  switch (c.kind) {
    case 'label': return selected.length ? { edit: [{ type: 'ADD_UNIT_LABEL', unitId: selected, label: c.label }] } : { say: 'Select units to label first' };
    case 'merge': return selected.length >= 2 ? { edit: [{ type: 'MERGE_UNITS', unitIds: selected }] } : { say: 'Select two or more units to merge' };
    case 'unmerge': return selected.length ? { edit: [{ type: 'UNMERGE_UNITS', unitIds: selected }] } : { say: 'Select units to unmerge first' };
    case 'undo': return { undo: true };
    case 'redo': return { redo: true };
    case 'selectAll': return { select: { type: 'SET_SELECTED_UNITS', unitIds: displayedUnitIds } };
    case 'clearSelection': return { select: { type: 'SET_SELECTED_UNITS', unitIds: [] } };
    case 'shiftTime': return { select: { type: 'SHIFT_TIME_RANGE', fraction: c.fraction } };
    case 'zoomTime': return { select: { type: 'ZOOM_TIME_RANGE', factor: c.factor } };
    case 'amplitude': return { select: { type: 'SCALE_AMPLITUDE', direction: c.direction } };
    case 'timeHome': { const r = s.timeRangeFrames; return r ? { select: { type: 'SET_TIME_RANGE', range: [0, r[1] - r[0]] } } : null; }
    case 'timeEnd': { const r = s.timeRangeFrames; const n = s.numFrames; return r && n ? { select: { type: 'SET_TIME_RANGE', range: [n - (r[1] - r[0]), n] } } : null; }
    case 'help': return { help: true };
    case 'neighbourUnit': case 'wizard': return { navigate: c };
    default: { const never: never = c; return never; }
  }
}

/** Keys typed into a field belong to the field, and an open dialog owns the keyboard. */
export function keyBelongsToPage(target: { tagName?: string; isContentEditable?: boolean } | null, dialogOpen: boolean): boolean {
  if (dialogOpen) return false;
  const tag = target?.tagName;
  return !(tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable);
}
