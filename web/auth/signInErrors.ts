/**
 * Firebase sign-in failures in the user's terms, with what to do. Firebase errors carry a `code`
 * (`auth/…`); its messages ("Firebase: Error (auth/network-request-failed).") mean nothing to a
 * neuroscientist. Pure. Null: the user cancelled (closed the window), which needs no message.
 */
export function signInErrorText(err: unknown, host: string, authEmulatorHost?: string): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'auth/popup-closed-by-user':
    case 'auth/cancelled-popup-request':
    case 'auth/user-cancelled':
      return null;
    case 'auth/network-request-failed':
      if (authEmulatorHost) return `Sign-in could not reach the local Auth emulator at ${authEmulatorHost}: is the local stack (npm start) still running?`;
      return 'Sign-in could not reach Google (this computer looks offline, or a firewall blocks accounts.google.com and apis.google.com). Check the connection and try again.';
    case 'auth/popup-blocked':
      return `The browser blocked the sign-in window: allow pop-ups for ${host} and press Sign in again.`;
    case 'auth/unauthorized-domain':
      return `${host} is not an authorized domain of this deployment's sign-in: its administrator adds it (docs/deploy.md, "Sign-in"), or open the app at its usual address.`;
    case 'auth/operation-not-allowed':
      return 'Sign-in with Google is not enabled for this deployment: its administrator enables the Google provider (docs/deploy.md, "Sign-in").';
    case 'auth/invalid-email':
      return 'That is not an e-mail address.';
    case 'auth/too-many-requests':
      return 'Too many sign-in attempts: wait a minute and try again.';
    default: {
      const message = (err as Error | null)?.message ?? String(err);
      // Firebase's own wording is "Firebase: Error (auth/x)."; keep the code, which support can look up.
      return `Sign-in failed: ${message.replace(/^Firebase:\s*/, '')}`;
    }
  }
}
