import { Dialog } from '../components/Dialog';
import { SHORTCUTS } from './shortcuts';

const pretty = (k: string) => k.replace('ArrowLeft', '←').replace('ArrowRight', '→').replace('ArrowUp', '↑').replace('ArrowDown', '↓')
  .replace('PageDown', 'Page Down').replace('PageUp', 'Page Up');

/** The keyboard shortcuts, from the same table the key handler uses. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const groups = [...new Set(SHORTCUTS.map((s) => s.group))];
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} id="help-dialog">
      {/* One table with a heading row per group, so the key and description columns line up across groups. */}
      <table className="data-table shortcuts">
        {groups.map((g) => (
          <tbody key={g}>
            <tr className="shortcut-group"><th colSpan={2} scope="colgroup">{g}</th></tr>
            {SHORTCUTS.filter((s) => s.group === g).map((s) => (
              <tr key={s.keys}><td className="shortcut-keys"><kbd>{pretty(s.keys)}</kbd></td><td>{s.description}</td></tr>
            ))}
          </tbody>
        ))}
      </table>
      <p className="muted small">Mouse: click a unit to select it, Ctrl-click to add or remove it, Shift-click to select the rows from the last one clicked (Ctrl+Shift-click adds them; Shift on a checkbox checks or unchecks them all). In plots over time: wheel zooms, drag pans, click sets the time cursor, double-click shows the whole recording.</p>
    </Dialog>
  );
}
