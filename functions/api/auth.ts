import { createPublicKey, verify } from 'node:crypto';
import type { CertSource } from './authCerts';
import { HttpError } from './httpError';

/**
 * Firebase ID tokens (Google sign-in through Firebase Authentication), verified the way Firebase's
 * Admin SDK does: RS256 signature by one of Google's securetoken keys, `iss` =
 * https://securetoken.google.com/<project>, `aud` = <project>, not expired, issued in the past, a
 * subject, and a verified email, which becomes the user.
 *
 * With `acceptEmulatorTokens` (FIREBASE_AUTH_EMULATOR_HOST is set: the local stack, never Cloud
 * Functions, see index.ts) the Auth emulator's unsigned tokens (`alg: "none"`) are accepted too; every
 * claim is still checked. Without it an unsigned token is refused before any key is looked at.
 *
 * Every refusal is a 401 whose message says what was wrong and never echoes the token.
 */

export interface VerifiedUser {
  /** The verified email, as the token carries it. */
  email: string;
  /** Firebase user id (`sub`). */
  uid: string;
}

export type VerifyUser = (authorization: string | undefined) => Promise<VerifiedUser>;

/**
 * Checks a token's RS256 signature against `certs` (`kid` → PEM), throwing when it does not verify.
 * The shape of google-auth-library's `OAuth2Client.verifySignedJwtWithCertsAsync`, which the tests
 * run side by side with `rs256SignatureCheck` on every token.
 */
export type SignatureCheck = (token: string, certs: Record<string, string>, audience: string, issuers: string[]) => Promise<void>;

export interface IdTokenVerifierOptions {
  /** The Google Cloud / Firebase project the tokens must be for. */
  projectId: string;
  acceptEmulatorTokens: boolean;
  certs: CertSource;
  /** ms since epoch. */
  now: () => number;
  checkSignature?: SignatureCheck;
}

/** Seconds a token's `iat`/`auth_time` may lie in the future (clocks differ a little). */
const CLOCK_SKEW_SEC = 60;

/**
 * RSA-SHA256 over `<header>.<payload>` with the certificate the header's `kid` names: the check
 * google-auth-library makes (`crypto.createVerify('RSA-SHA256')`), without bundling that CommonJS
 * library (and its child_process use) into the ESM function. The claims are checked by the caller.
 */
export const rs256SignatureCheck: SignatureCheck = async (token, certs) => {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const { kid } = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { kid?: unknown };
  const pem = typeof kid === 'string' && Object.prototype.hasOwnProperty.call(certs, kid) ? certs[kid] : undefined;
  if (!pem) throw new Error('No pem found for the token\'s kid');
  const key = createPublicKey(pem); // an x509 certificate (Google's) or a public key
  if (key.asymmetricKeyType !== 'rsa') throw new Error('The signing key is not an RSA key');
  if (!verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'))) {
    throw new Error('Invalid token signature');
  }
};

const refuse = (message: string) => new HttpError(401, 'invalid_token', message);

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw refuse(`The ID token's ${what} is not base64url JSON: send the token Firebase's getIdToken() returns`);
}

export function createIdTokenVerifier(opts: IdTokenVerifierOptions): VerifyUser {
  const issuer = `https://securetoken.google.com/${opts.projectId}`;
  const checkSignature = opts.checkSignature ?? rs256SignatureCheck;
  return async (authorization) => {
    if (!opts.projectId) throw new HttpError(503, 'auth_unconfigured', 'Sign-in is not configured on this API: set GOOGLE_CLOUD_PROJECT to the Firebase project id.');
    if (!authorization) throw new HttpError(401, 'unauthenticated', 'Sign in first: send the Firebase ID token as "Authorization: Bearer <token>".');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new HttpError(401, 'unauthenticated', 'The Authorization header must be "Bearer <Firebase ID token>".');
    const token = m[1];
    const parts = token.split('.');
    if (parts.length !== 3) throw refuse(`An ID token has three dot-separated parts; this one has ${parts.length}.`);
    const header = decodePart(parts[0], 'header');
    const claims = decodePart(parts[1], 'payload');

    const unsigned = header.alg === 'none';
    if (unsigned && !opts.acceptEmulatorTokens) {
      throw refuse('Unsigned ID token (alg "none", as the Firebase Auth emulator issues) refused: this API accepts only tokens signed by Google. Sign in against production Firebase Authentication.');
    }
    if (!unsigned && header.alg !== 'RS256') throw refuse(`ID tokens are signed with RS256, not ${JSON.stringify(header.alg)}.`);
    if (unsigned && parts[2] !== '') throw refuse('An unsigned emulator token has an empty signature part.');

    const nowSec = opts.now() / 1000;
    if (claims.iss !== issuer) throw refuse(`The ID token was issued by ${JSON.stringify(claims.iss)}, not ${issuer}: sign in to this deployment's Firebase project (${opts.projectId}).`);
    if (claims.aud !== opts.projectId) throw refuse(`The ID token is for audience ${JSON.stringify(claims.aud)}, not this deployment's project ${opts.projectId}.`);
    if (typeof claims.exp !== 'number' || claims.exp <= nowSec) {
      throw refuse(typeof claims.exp === 'number'
        ? `The ID token expired at ${new Date(claims.exp * 1000).toISOString()}: get a fresh one (Firebase getIdToken() refreshes it) and retry.`
        : 'The ID token has no expiry (exp).');
    }
    if (typeof claims.iat !== 'number' || claims.iat > nowSec + CLOCK_SKEW_SEC) throw refuse('The ID token has no issue time (iat) in the past.');
    if (typeof claims.auth_time === 'number' && claims.auth_time > nowSec + CLOCK_SKEW_SEC) throw refuse('The ID token\'s auth_time lies in the future.');
    if (typeof claims.sub !== 'string' || !claims.sub || claims.sub.length > 128) throw refuse('The ID token has no subject (sub).');
    if (typeof claims.email !== 'string' || !claims.email) throw refuse('The ID token carries no email: sign in with Google (scopes openid email).');
    if (claims.email_verified !== true) throw refuse(`The email ${claims.email} is not verified: verify it with your identity provider (Google accounts are verified), then sign in again.`);

    if (!unsigned) {
      let certs: Record<string, string>;
      try {
        certs = await opts.certs();
      } catch (err) {
        throw new HttpError(503, 'auth_unavailable', `Could not fetch Google's token signing certificates: ${(err as Error).message}. Try again shortly.`, { cause: err });
      }
      if (typeof header.kid !== 'string' || !Object.prototype.hasOwnProperty.call(certs, header.kid)) {
        throw refuse('The ID token was not signed by any current Firebase key (unknown kid): it is forged, or from another system. Sign in again.');
      }
      try {
        await checkSignature(token, certs, opts.projectId, [issuer]);
      } catch (err) {
        // google-auth-library's messages quote the whole token: say what failed, never the token.
        const why = (err as Error).message ?? '';
        if (/signature/i.test(why)) throw refuse('The ID token\'s signature does not verify: it was altered or forged.');
        if (/too late/i.test(why)) throw refuse('The ID token has expired: get a fresh one and retry.');
        if (/too early|too far in future/i.test(why)) throw refuse('The ID token\'s times are not plausible (issued in the future, or valid for more than a day).');
        throw refuse(`The ID token does not verify: ${why.split(':')[0]}.`);
      }
    }
    return { email: claims.email, uid: claims.sub };
  };
}
