import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { isBackendAlive } from '../../core/protocol';
import { signInErrorText } from '../auth/signInErrors';
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
  const popover = useRef<HTMLSpanElement>(null);
  useDismiss(popover, shown !== null, () => setShown(null));
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
      <button type="button" id="copy-link" className="bar-button popover-anchor" onClick={share} title="Copy a link that opens exactly this view">Copy link</button>
      {shown !== null ? (
        <span className="share-popover" ref={popover}>
          <input id="share-link" readOnly value={shown} onFocus={(e) => e.currentTarget.select()} aria-label="Link to this view" />
          <span className="small">{copied ? 'Copied to the clipboard.' : 'Copy this link.'}</span>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => setShown(null)}>×</button>
        </span>
      ) : null}
    </span>
  );
}

/** Sign-in with Google (Firebase Authentication) and who is signed in; on the local stack, a form for the address. */
function SignInControl() {
  const { auth } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [email, setEmail] = useState(auth.emulator?.suggestedEmail ?? '');
  const formRef = useRef<HTMLFormElement>(null);
  useDismiss(formRef, asking, () => setAsking(false));
  // A sign-in that succeeded (here, in another tab, or restored) clears an earlier failure.
  const signedIn = !!auth.user;
  useEffect(() => { if (signedIn) setError(null); }, [signedIn]);
  if (auth.unavailable) return <span className="small bar-note" id="sign-in-unavailable" title={auth.unavailable}>sign-in not configured</span>;
  if (!auth.ready) return <span className="small bar-note">…</span>;
  const run = (f: () => Promise<void>) => {
    setError(null);
    f().then(() => setAsking(false), (err: unknown) => setError(signInErrorText(err, location.host, auth.emulator?.host)));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(() => auth.signIn(email));
  };
  return (
    <span className="sign-in">
      {auth.user ? (
        <>
          <span className="user-email" id="user-email" title="Signed in">{auth.user.email}</span>
          <button type="button" className="bar-button" id="sign-out" onClick={() => run(auth.signOut)}>Sign out</button>
        </>
      ) : (
        <button type="button" className="bar-button popover-anchor" id="sign-in" onClick={() => (auth.emulator ? setAsking(!asking) : run(() => auth.signIn()))}
          title={auth.emulator ? 'Sign in on the local stack (any address; no password)' : 'Sign in with Google to edit curation'}>Sign in</button>
      )}
      {asking && auth.emulator && !auth.user ? (
        <form className="bar-popover" id="local-sign-in" ref={formRef} onSubmit={submit}>
          <label className="small">Sign in on the local stack as
            <input type="email" id="local-sign-in-email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus placeholder="you@lab.example.org" />
          </label>
          <p className="small muted">The local Auth emulator signs in any address as a Google account, without a password or internet. {auth.emulator.suggestedEmail ? `${auth.emulator.suggestedEmail} owns the demo workspace.` : ''}</p>
          <button type="submit" className="small-button" id="local-sign-in-submit">Sign in</button>
          {error ? <p className="error small" role="alert" id="sign-in-error">{error}</p> : null}
        </form>
      ) : error ? <span className="error small sign-in-error" role="alert" id="sign-in-error">{error}</span> : null}
    </span>
  );
}

/** Closes a popover on Escape and on a press outside it. */
function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') latest.current(); };
    const onDown = (e: MouseEvent) => {
      const el = ref.current;
      // A press on the popover's own button toggles it; that is not "outside".
      if (el && !el.contains(e.target as Node) && !(e.target as HTMLElement).closest?.('.popover-anchor')) latest.current();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open, ref]);
}
