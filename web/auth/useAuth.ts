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
 * config.json names one (the local stack). With the emulator, `window.sortingviewTest.signIn(email)`
 * signs in without the popup (a Google credential the emulator accepts unsigned), for browser tests;
 * it does not exist in production.
 */
export interface AuthState {
  /** Why sign-in is unavailable (no Firebase config), or null. */
  unavailable: string | null;
  /** False until Firebase has restored (or not) the previous session. */
  ready: boolean;
  user: { email: string; uid: string } | null;
  signIn(): Promise<void>;
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
    (window as unknown as { sortingviewTest?: unknown }).sortingviewTest = {
      /** Signs in as `email` (a verified Google account on the emulator, created on first use). */
      async signIn(email: string) {
        const cred = GoogleAuthProvider.credential(JSON.stringify({ sub: `google-${email}`, email, email_verified: true }));
        await signInWithCredential(auth, cred);
      },
    };
  }
  instance = { key, app, auth };
  return auth;
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
      return { unavailable: 'This deployment has no sign-in configured (config.json has no "firebase" section), so curation is read-only.', ready: true, user: null, signIn: no, signOut: no, getIdToken: null };
    }
    return {
      unavailable: null,
      ready: state.ready,
      user: email && uid ? { email, uid } : null,
      async signIn() {
        const provider = new GoogleAuthProvider();
        provider.addScope('email');
        await signInWithPopup(auth, provider);
      },
      async signOut() {
        await firebaseSignOut(auth);
      },
      getIdToken: user ? (forceRefresh = false) => getIdToken(user, forceRefresh) : null,
    };
  }, [auth, state.ready, user, email, uid]);
}
