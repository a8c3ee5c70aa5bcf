import { initializeApp, type FirebaseApp } from 'firebase/app';
import {
  connectAuthEmulator, getAuth, getIdToken, GoogleAuthProvider, onIdTokenChanged, signInWithCredential, signInWithPopup,
  signOut as firebaseSignOut, type Auth, type User,
} from 'firebase/auth';
import { useEffect, useMemo, useState } from 'react';
import type { FirebaseWebConfig } from '../config';
import type { GetIdToken } from './apiFetch';

/**
 * Sign-in with Google through Firebase Authentication (popup), or against the Auth emulator when
 * config.json names one (the local stack). With the emulator, sign-in takes an address and signs in
 * that Google account on the emulator (a credential it accepts unsigned): no popup, so nothing is
 * loaded from apis.google.com and the local stack works offline. Browser tests call the same sign-in
 * as `window.sortingviewTest.signIn(email)`; neither exists in production.
 */
export interface AuthState {
  /** Why sign-in is unavailable (no Firebase config), or null. */
  unavailable: string | null;
  /** False until Firebase has restored (or not) the previous session. */
  ready: boolean;
  user: { email: string; uid: string } | null;
  /** Local stack: sign-in asks for an address (`signIn(email)`), suggesting this one. Null in production. */
  emulator: { suggestedEmail: string; host: string } | null;
  /** Production: the Google popup. Local stack: signs in `email` on the Auth emulator. */
  signIn(email?: string): Promise<void>;
  signOut(): Promise<void>;
  /** The current user's ID token; null when signed out. */
  getIdToken: GetIdToken | null;
}

let instance: { key: string; app: FirebaseApp; auth: Auth } | null = null;

function firebaseAuth(config: FirebaseWebConfig): Auth {
  const key = JSON.stringify(config);
  if (instance?.key === key) return instance.auth;
  const app = initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId }, 'sortingview'); // a fixed name: the session persists across reloads
  const auth = getAuth(app);
  if (config.authEmulatorHost) {
    connectAuthEmulator(auth, `http://${config.authEmulatorHost}`, { disableWarnings: true });
    (window as unknown as { sortingviewTest?: unknown }).sortingviewTest = { signIn: (email: string) => emulatorSignIn(auth, email) };
  }
  instance = { key, app, auth };
  return auth;
}

/** Signs in `email` as a verified Google account on the Auth emulator (created on first use). */
async function emulatorSignIn(auth: Auth, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw Object.assign(new Error(`not an address: ${email}`), { code: 'auth/invalid-email' });
  await signInWithCredential(auth, GoogleAuthProvider.credential(JSON.stringify({ sub: `google-${address}`, email: address, email_verified: true })));
}

export function useAuth(config: FirebaseWebConfig | undefined): AuthState {
  const auth = useMemo(() => (config ? firebaseAuth(config) : null), [config]);
  const [state, setState] = useState<{ ready: boolean; user: User | null }>({ ready: !auth, user: null });
  useEffect(() => {
    if (!auth) return;
    return onIdTokenChanged(auth, (user) => setState({ ready: true, user }));
  }, [auth]);
  const user = state.user;
  const email = user?.email ?? null;
  const uid = user?.uid ?? null;
  return useMemo<AuthState>(() => {
    if (!auth) {
      const no = async () => { throw new Error('Sign-in is not configured for this deployment'); };
      return { unavailable: 'This deployment has no sign-in configured (config.json has no "firebase" section), so curation is read-only.', ready: true, user: null, emulator: null, signIn: no, signOut: no, getIdToken: null };
    }
    return {
      unavailable: null,
      ready: state.ready,
      user: email && uid ? { email, uid } : null,
      emulator: config?.authEmulatorHost ? { suggestedEmail: config.emulatorSignInEmail ?? '', host: config.authEmulatorHost } : null,
      async signIn(address?: string) {
        if (config?.authEmulatorHost) return emulatorSignIn(auth, address ?? '');
        const provider = new GoogleAuthProvider();
        provider.addScope('email');
        await signInWithPopup(auth, provider);
      },
      async signOut() {
        await firebaseSignOut(auth);
      },
      getIdToken: user ? (forceRefresh = false) => getIdToken(user, forceRefresh) : null,
    };
  }, [auth, config, state.ready, user, email, uid]);
}
