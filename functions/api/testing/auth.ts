import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * Test seam for sign-in: Firebase-shaped ID tokens signed with a key the test generates (never Google's),
 * and the Auth emulator's unsigned form. Production code does not import this.
 */

export interface TestClaims {
  iss?: unknown;
  aud?: unknown;
  sub?: unknown;
  email?: unknown;
  email_verified?: unknown;
  iat?: unknown;
  exp?: unknown;
  auth_time?: unknown;
  [k: string]: unknown;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Valid claims for `email` in `projectId` at `nowMs`, one hour long, as Firebase issues them. */
export function firebaseClaims(projectId: string, email: string, nowMs: number, extra: TestClaims = {}): TestClaims {
  const now = Math.floor(nowMs / 1000);
  return {
    iss: `https://securetoken.google.com/${projectId}`, aud: projectId, auth_time: now - 10, user_id: `uid-${email}`,
    sub: `uid-${email}`, iat: now - 10, exp: now + 3590, email, email_verified: true,
    firebase: { identities: { 'google.com': ['1234'], email: [email] }, sign_in_provider: 'google.com' },
    ...extra,
  };
}

export interface TestSigner {
  kid: string;
  /** `kid` → PEM, the shape of Google's securetoken certificate endpoint (a public key in place of a certificate). */
  certs: Record<string, string>;
  privateKey: KeyObject;
  sign(claims: TestClaims, header?: Record<string, unknown>): string;
}

export function testSigner(kid = 'test-key-1'): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    certs: { [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    privateKey,
    sign: (claims, header = {}) => signWith(privateKey, { alg: 'RS256', kid, typ: 'JWT', ...header }, claims),
  };
}

export function signWith(privateKey: KeyObject, header: Record<string, unknown>, claims: TestClaims): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** The Firebase Auth emulator's token shape: `alg: "none"` and an empty signature. */
export function unsignedToken(claims: TestClaims): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}
