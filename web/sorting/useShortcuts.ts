import { useEffect, useRef } from 'react';
import { commandFor, keyBelongsToPage, type Command } from './shortcuts';

/** Runs the shortcut table's command for each key pressed on the page (web/sorting/shortcuts.ts). */
export function useShortcuts(run: (c: Command) => void): void {
  // The listener stays; the latest `run` (which sees the latest selection) is read at key time.
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!keyBelongsToPage(e.target as HTMLElement | null, !!document.querySelector('.dialog'))) return;
      const c = commandFor(e);
      if (!c) return;
      e.preventDefault();
      latest.current(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
