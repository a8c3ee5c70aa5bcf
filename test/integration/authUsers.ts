import { unsignedToken } from '../../functions/api/testing/auth';

/**
 * Users of the Firebase Auth emulator, through its REST API (the Identity Toolkit endpoints the
 * Firebase JS SDK calls; any API key works). `signUp` gives a password account with an unverified
 * email; the emulator's admin bypass (`Authorization: Bearer owner`) marks it verified, and a fresh
 * sign-in returns a token that says so.
 */
export interface EmulatorUser {
  email: string;
  uid: string;
  idToken: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function emulatorUser(host: string, projectId: string, email: string, opts: { verified?: boolean } = {}): Promise<EmulatorUser> {
  const base = `http://${host}/identitytoolkit.googleapis.com/v1`;
  const password = 'correct-horse-battery';
  const up = await post(`${base}/accounts:signUp?key=any`, { email, password, returnSecureToken: true });
  if (opts.verified === false) return { email, uid: String(up.localId), idToken: String(up.idToken) };
  await post(`${base}/projects/${projectId}/accounts:update`, { localId: up.localId, emailVerified: true }, { authorization: 'Bearer owner' });
  const signedIn = await post(`${base}/accounts:signInWithPassword?key=any`, { email, password, returnSecureToken: true });
  return { email, uid: String(signedIn.localId), idToken: String(signedIn.idToken) };
}

/** Decodes a JWT's claims (no checks): to build altered copies of an emulator token. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The callers the curation API must refuse, built from a real emulator token of `owner`: each with the
 * status and the message that says why (`[what, token, status, message]`). Used by the integration
 * suite and the fault suite, so both hold the API to the same answers.
 */
export async function refusedCallers(authHost: string, projectId: string, owner: EmulatorUser): Promise<[string, string | undefined, number, RegExp][]> {
  const c = claimsOf(owner.idToken);
  const now = Math.floor(Date.now() / 1000);
  const unverified = await emulatorUser(authHost, projectId, 'unverified@lab.org', { verified: false });
  const stranger = await emulatorUser(authHost, projectId, 'stranger@lab.org');
  return [
    ['no token', undefined, 401, /Sign in first/],
    ['expired', unsignedToken({ ...c, iat: now - 7200, exp: now - 3600 }), 401, /expired/],
    ['wrong audience', unsignedToken({ ...c, aud: 'another-project' }), 401, /audience "another-project"/],
    ['wrong issuer', unsignedToken({ ...c, iss: 'https://securetoken.google.com/another-project' }), 401, /issued by/],
    ['tampered signature part', `${owner.idToken}AAAA`, 401, /empty signature/],
    ['unverified email', unverified.idToken, 401, /unverified@lab.org is not verified/],
    ['valid token without permission', stranger.idToken, 403, /stranger@lab.org may not edit/],
  ];
}
