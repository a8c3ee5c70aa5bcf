import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { createIdTokenVerifier, rs256SignatureCheck, type SignatureCheck } from './auth';
import { secureTokenCerts } from './authCerts';
import { firebaseClaims, signWith, testSigner, unsignedToken } from './testing/auth';
import { HttpError } from './httpError';

const PROJECT = 'lab-project';
const NOW = Date.UTC(2030, 0, 1);
const signer = testSigner();
const other = testSigner('test-key-1'); // same kid, another key: a forgery

/** google-auth-library's check, to hold ours to the same verdicts. */
const googleCheck: SignatureCheck = async (token, certs, audience, issuers) => {
  await new OAuth2Client().verifySignedJwtWithCertsAsync(token, certs, audience, issuers);
};

const verifier = (over: Partial<Parameters<typeof createIdTokenVerifier>[0]> = {}) => createIdTokenVerifier({
  projectId: PROJECT, acceptEmulatorTokens: false, certs: async () => signer.certs, now: () => NOW, ...over,
});
const claims = (extra = {}) => firebaseClaims(PROJECT, 'alice@lab.org', NOW, extra);
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(HttpError);
  return { status: (err as HttpError).status, code: (err as HttpError).code, message: (err as HttpError).message };
};

describe('ID token verification', () => {
  it('accepts a valid signed token and returns the verified email and uid', async () => {
    expect(await verifier()(`Bearer ${signer.sign(claims())}`)).toEqual({ email: 'alice@lab.org', uid: 'uid-alice@lab.org' });
  });

  it.each([
    ['no Authorization header', undefined, 'unauthenticated', /Sign in first/],
    ['a non-Bearer scheme', 'Basic abc', 'unauthenticated', /must be "Bearer/],
    ['a token of two parts', 'Bearer a.b', 'invalid_token', /three dot-separated parts/],
    ['a header that is not JSON', 'Bearer !!.e30.x', 'invalid_token', /header is not base64url JSON/],
  ])('refuses %s with 401', async (_what, header, code, message) => {
    expect(await refusal(verifier()(header))).toMatchObject({ status: 401, code, message: expect.stringMatching(message) });
  });

  it.each([
    ['an expired token', () => signer.sign(claims({ exp: NOW / 1000 - 1, iat: NOW / 1000 - 3601 })), /expired at 2029-12-31T23:59:59/],
    ['a token for another audience', () => signer.sign(claims({ aud: 'other-project' })), /audience "other-project", not this deployment's project lab-project/],
    ['a token from another issuer', () => signer.sign(claims({ iss: 'https://accounts.google.com' })), /issued by "https:\/\/accounts.google.com"/],
    ['a bad signature (another key, same kid)', () => other.sign(claims()), /signature does not verify/],
    ['an altered payload', () => { const [h, , s] = signer.sign(claims()).split('.'); return `${h}.${Buffer.from(JSON.stringify(claims({ email: 'mallory@lab.org' }))).toString('base64url')}.${s}`; }, /signature does not verify/],
    ['an unknown kid', () => signer.sign(claims(), { kid: 'nope' }), /unknown kid/],
    ['an unverified email', () => signer.sign(claims({ email_verified: false })), /alice@lab.org is not verified/],
    ['no email', () => signer.sign(claims({ email: undefined })), /carries no email/],
    ['no subject', () => signer.sign(claims({ sub: '' })), /no subject/],
    ['an issue time in the future', () => signer.sign(claims({ iat: NOW / 1000 + 3600 })), /no issue time \(iat\) in the past/],
    ['HS256', () => signWith(signer.privateKey, { alg: 'HS256', kid: signer.kid }, claims()), /signed with RS256, not "HS256"/],
    ['an unsigned (emulator) token in production mode', () => unsignedToken(claims()), /Unsigned ID token .* refused/],
  ])('refuses %s with 401 and says why', async (_what, token, message) => {
    const r = await refusal(verifier()(`Bearer ${token()}`));
    expect(r).toMatchObject({ status: 401, code: 'invalid_token', message: expect.stringMatching(message) });
    expect(r.message).not.toContain(token().slice(0, 40)); // never echoes the token
  });

  it('accepts the emulator\'s unsigned tokens only in emulator mode, and still checks their claims', async () => {
    const emu = verifier({ acceptEmulatorTokens: true, certs: async () => { throw new Error('no network in emulator mode'); } });
    expect(await emu(`Bearer ${unsignedToken(claims())}`)).toEqual({ email: 'alice@lab.org', uid: 'uid-alice@lab.org' });
    expect(await refusal(emu(`Bearer ${unsignedToken(claims({ aud: 'x' }))}`))).toMatchObject({ status: 401, message: expect.stringMatching(/audience/) });
    expect(await refusal(emu(`Bearer ${unsignedToken(claims({ exp: NOW / 1000 - 5 }))}`))).toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
    expect(await refusal(emu(`Bearer ${unsignedToken(claims({ email_verified: false }))}`))).toMatchObject({ status: 401, message: expect.stringMatching(/not verified/) });
    expect(await refusal(emu(`Bearer ${unsignedToken(claims())}sig`))).toMatchObject({ status: 401, message: expect.stringMatching(/empty signature/) });
  });

  it('answers 503 when Google\'s certificates cannot be fetched, and when no project is configured', async () => {
    expect(await refusal(verifier({ certs: async () => { throw new Error('ENOTFOUND www.googleapis.com'); } })(`Bearer ${signer.sign(claims())}`)))
      .toMatchObject({ status: 503, code: 'auth_unavailable', message: expect.stringMatching(/ENOTFOUND/) });
    expect(await refusal(verifier({ projectId: '' })(`Bearer ${signer.sign(claims())}`))).toMatchObject({ status: 503, code: 'auth_unconfigured' });
  });
});

describe('our RS256 check and google-auth-library agree', () => {
  // google-auth-library checks times against the real clock: these tokens are made for now.
  const now = Date.now();
  const real = (extra = {}) => firebaseClaims(PROJECT, 'alice@lab.org', now, extra);
  const cases: [string, string, boolean][] = [
    ['valid', signer.sign(real()), true],
    ['another key', other.sign(real()), false],
    ['altered', (() => { const [h, , s] = signer.sign(real()).split('.'); return `${h}.${Buffer.from(JSON.stringify(real({ email: 'm@x.org' }))).toString('base64url')}.${s}`; })(), false],
    ['unsigned', unsignedToken(real()), false],
  ];
  it.each(cases)('%s', async (_what, token, valid) => {
    const ours = await rs256SignatureCheck(token, signer.certs, PROJECT, []).then(() => true, () => false);
    const theirs = await googleCheck(token, signer.certs, PROJECT, [`https://securetoken.google.com/${PROJECT}`]).then(() => true, () => false);
    expect([ours, theirs]).toEqual([valid, valid]);
    const full = await verifier({ now: () => now, checkSignature: googleCheck })(`Bearer ${token}`).then(() => true, () => false);
    expect(full).toBe(valid);
  });

  it.skipIf(!hasOpenssl())('verifies against an x509 certificate, the form Google serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sv-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=sortingview-test'], { stdio: 'ignore' });
    const key = createPrivateKey(readFileSync(join(dir, 'k.pem')));
    const certs = { x509: readFileSync(join(dir, 'c.pem'), 'utf8') };
    expect(certs.x509).toMatch(/BEGIN CERTIFICATE/);
    const token = signWith(key, { alg: 'RS256', kid: 'x509', typ: 'JWT' }, real());
    await rs256SignatureCheck(token, certs, PROJECT, []);
    await googleCheck(token, certs, PROJECT, [`https://securetoken.google.com/${PROJECT}`]);
    expect(await verifier({ now: () => now, certs: async () => certs })(`Bearer ${token}`)).toMatchObject({ email: 'alice@lab.org' });
  });
});

describe('secureTokenCerts', () => {
  it('fetches once, keeps the certificates for max-age, then fetches again', async () => {
    let t = 0;
    const calls: string[] = [];
    const fetchStub = (async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify({ k1: `PEM${calls.length}` }), { headers: { 'cache-control': 'public, max-age=100, must-revalidate' } });
    }) as typeof fetch;
    const certs = secureTokenCerts({ fetch: fetchStub, now: () => t });
    expect(await Promise.all([certs(), certs()])).toEqual([{ k1: 'PEM1' }, { k1: 'PEM1' }]);
    t = 99_000;
    expect(await certs()).toEqual({ k1: 'PEM1' });
    t = 100_001;
    expect(await certs()).toEqual({ k1: 'PEM2' });
    expect(calls).toEqual([expect.stringMatching(/securetoken@system.gserviceaccount.com$/), expect.any(String)]);
  });

  it('reports an error answer and a malformed body', async () => {
    await expect(secureTokenCerts({ fetch: (async () => new Response('x', { status: 500 })) as typeof fetch, now: () => 0 })()).rejects.toThrow(/answered 500/);
    await expect(secureTokenCerts({ fetch: (async () => new Response('{"k": 1}')) as typeof fetch, now: () => 0 })()).rejects.toThrow(/did not answer/);
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
