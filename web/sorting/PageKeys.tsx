import { useNavigation } from './NavigationProvider';
import { commandEffect } from './shortcuts';
import { useSelection, useSortingData } from './sortingContext';
import { useShortcuts } from './useShortcuts';

/** The sorting page's keyboard: runs the shortcut table's commands (web/sorting/shortcuts.ts). Renders nothing. */
export function PageKeys({ onHelp }: { onHelp: () => void }) {
  const { curate, undo, redo, notify } = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const nav = useNavigation();
  useShortcuts((c) => {
    const effect = commandEffect(c, selection, displayedUnitIds);
    const ignore = () => undefined; // the editor has said why already
    if (!effect) return;
    if ('edit' in effect) void curate(effect.edit).catch(ignore);
    else if ('undo' in effect) void undo().catch(ignore);
    else if ('redo' in effect) void redo().catch(ignore);
    else if ('select' in effect) dispatch(effect.select);
    else if ('say' in effect) notify(effect.say);
    else if ('navigate' in effect) nav.run(effect.navigate);
    else onHelp();
  });
  return null;
}
