import { useState } from 'react';
import { isBackendAlive } from '../../core/protocol';
import { FLUSH_URL_EVENT, useApp } from './context';
import { TaskMonitorButton } from './TaskMonitor';

/** Title (home link), the backend and whether it is alive, the task monitor, and the share link. */
export function AppBar() {
  const { route, navigate, backend, backendUri, backendError } = useApp();
  const alive = backend ? isBackendAlive(backend, Date.now()) : false;
  return (
    <header className="app-bar">
      <a className="app-title" href={`?${route.backend ? `backend=${encodeURIComponent(route.backend)}` : ''}`}
        onClick={(e) => { e.preventDefault(); navigate({ backend: route.backend }); }}>sortingview</a>
      <span className="bar-spacer" />
      {backendUri ? (
        <span className={`backend-chip ${backend ? (alive ? 'alive' : 'dead') : backendError ? 'dead' : ''}`} title={backendUri}>
          <span className="dot" aria-hidden="true" />
          {backend ? `${backend.label}${alive ? '' : ' (not alive)'}` : backendError ? 'backend error' : 'connecting…'}
        </span>
      ) : null}
      <TaskMonitorButton />
      <ShareButton />
      <SignInControl />
    </header>
  );
}

function ShareButton() {
  const [shown, setShown] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const share = async () => {
    window.dispatchEvent(new Event(FLUSH_URL_EVENT));
    const url = location.href;
    setShown(url);
    setCopied(false);
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Not allowed here (permissions, insecure origin): the field below lets the user copy it.
    }
  };
  return (
    <span className="share">
      <button type="button" id="copy-link" className="bar-button" onClick={share} title="Copy a link that opens exactly this view">Copy link</button>
      {shown !== null ? (
        <span className="share-popover">
          <input id="share-link" readOnly value={shown} onFocus={(e) => e.currentTarget.select()} aria-label="Link to this view" />
          <span className="small">{copied ? 'Copied to the clipboard.' : 'Copy this link.'}</span>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => setShown(null)}>×</button>
        </span>
      ) : null}
    </span>
  );
}

/** Sign-in with Google (Firebase Authentication) and who is signed in. */
function SignInControl() {
  const { auth } = useApp();
  const [error, setError] = useState<string | null>(null);
  if (auth.unavailable) return <span className="small bar-note" id="sign-in-unavailable" title={auth.unavailable}>sign-in not configured</span>;
  if (!auth.ready) return <span className="small bar-note">…</span>;
  const run = (f: () => Promise<void>) => {
    setError(null);
    f().catch((err: Error) => setError(/popup-closed|cancelled-popup/.test(err.message) ? null : err.message));
  };
  return (
    <span className="sign-in">
      {auth.user ? (
        <>
          <span className="user-email" id="user-email" title="Signed in">{auth.user.email}</span>
          <button type="button" className="bar-button" id="sign-out" onClick={() => run(auth.signOut)}>Sign out</button>
        </>
      ) : (
        <button type="button" className="bar-button" id="sign-in" onClick={() => run(auth.signIn)} title="Sign in with Google to edit curation">Sign in</button>
      )}
      {error ? <span className="error small" role="alert" id="sign-in-error" title={error}>sign-in failed</span> : null}
    </span>
  );
}
