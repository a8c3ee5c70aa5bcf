import { describe, expect, it } from 'vitest';
import { commandFor, keyName, SHORTCUTS } from './shortcuts';

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
  });

  it('maps keys to commands; every table entry is reachable and unique', () => {
    expect(commandFor(ev('a'))).toEqual({ kind: 'label', label: 'accept' });
    expect(commandFor(ev('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(commandFor(ev('q'))).toBeNull();
    const keys = SHORTCUTS.map((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
