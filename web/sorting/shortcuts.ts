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
  | { kind: 'help' };

export interface Shortcut { keys: string; description: string; group: 'Curation' | 'Selection' | 'Time and amplitude' | 'Help'; command: Command }

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
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const ctrl = e.ctrlKey || e.metaKey;
  // Printable symbols already include shift ('?', '+'); letters and named keys get an explicit Shift.
  const shift = e.shiftKey && (/^[a-z]$/.test(key) || e.key.length > 1);
  return `${ctrl ? 'Ctrl+' : ''}${shift ? 'Shift+' : ''}${/^[a-z]$/.test(key) && (ctrl || shift) ? key.toUpperCase() : key}`;
}

const byKeys = new Map(SHORTCUTS.map((s) => [s.keys, s.command]));

export function commandFor(e: Parameters<typeof keyName>[0]): Command | null {
  const name = keyName(e);
  return name ? byKeys.get(name) ?? null : null;
}
