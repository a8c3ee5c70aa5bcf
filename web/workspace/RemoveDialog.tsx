import { useState } from 'react';
import type { ApiFetchDeps } from '../auth/apiFetch';
import { Dialog } from '../components/Dialog';
import { describeRemoval, removeFromWorkspace, type Removal } from './removeApi';

/** Asks the owner to confirm a removal, sends it, and says why when the API refuses. */
export function RemoveDialog({ removal, api, feedId, onClose, onRemoved }: { removal: Removal; api: ApiFetchDeps; feedId: string; onClose(): void; onRemoved(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { title, lines } = describeRemoval(removal);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await removeFromWorkspace(api, feedId, removal);
      onRemoved();
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} id="remove-dialog">
      {lines.map((l) => <p key={l} className="small">{l}</p>)}
      {error ? <p className="error small" role="alert" id="remove-error">Not removed: {error}</p> : null}
      <div className="button-row">
        <button type="button" className="small-button danger" id="remove-confirm" disabled={busy} onClick={() => void remove()}>{busy ? 'Removing…' : 'Remove'}</button>
        <button type="button" className="small-button" onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}
