// Who a caller is, as GCS would know it: the emulator plays Google's Security Token Service for
// local principals. Each component of the local stack gets a credentials file of type
// `external_account` (Workload Identity Federation, a format google-auth-library reads unchanged):
// a subject token (a JWT the emulator signed, naming the principal) and `token_url` pointing here.
// The library exchanges it at POST /v1/token (RFC 8693, as sts.googleapis.com does) for an access
// token and sends that as `Authorization: Bearer …`. Why not a service-account key whose
// `token_uri` points here: the storage client's google-auth-library 9.x (gtoken 7) ignores
// `token_uri` and always calls https://www.googleapis.com/oauth2/v4/token.
// Tokens this emulator did not issue, or that expired, identify nobody: such a caller is anonymous.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STS_PATH = '/v1/token';
/** The audience every subject token names (a workload identity pool provider, in Google's format). */
export const AUDIENCE = '//iam.googleapis.com/projects/0/locations/global/workloadIdentityPools/sortingview-local/providers/emulator';
const SUBJECT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ACCESS_TOKEN_SECONDS = 3600;
const SUBJECT_TOKEN_SECONDS = 7 * 24 * 3600;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class StsError extends Error {
  constructor(readonly error: string, message: string) {
    super(message);
  }
}

export class LocalIdentities {
  private readonly secret = randomBytes(32);
  private readonly accessTokens = new Map<string, { member: string; expiresAtMs: number }>();

  constructor(private readonly now: () => number) {}

  /** A signed subject token naming `member` (e.g. `serviceAccount:sortingview-api@p.iam.gserviceaccount.com`). */
  subjectToken(member: string): string {
    const iat = Math.floor(this.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ iss: 'sortingview-storage-emulator', sub: member, aud: AUDIENCE, iat, exp: iat + SUBJECT_TOKEN_SECONDS }));
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }

  /**
   * Writes `<dir>/<name>.token` and `<dir>/<name>.json` (mode 600: the relay refuses readable keys)
   * and returns the path of the JSON, for GOOGLE_APPLICATION_CREDENTIALS.
   */
  writeCredentials(dir: string, name: string, member: string, stsBaseUrl: string): string {
    mkdirSync(dir, { recursive: true });
    const tokenFile = join(dir, `${name}.token`);
    const jsonFile = join(dir, `${name}.json`);
    writeFileSync(tokenFile, this.subjectToken(member), { mode: 0o600 });
    writeFileSync(jsonFile, `${JSON.stringify({
      type: 'external_account',
      audience: AUDIENCE,
      subject_token_type: SUBJECT_TOKEN_TYPE,
      token_url: `${stsBaseUrl}${STS_PATH}`,
      credential_source: { file: tokenFile },
    }, null, 2)}\n`, { mode: 0o600 });
    for (const f of [tokenFile, jsonFile]) chmodSync(f, 0o600); // an existing file keeps its mode otherwise
    return jsonFile;
  }

  /** The token exchange: form fields of the request → the response body Google's STS gives. */
  exchange(form: URLSearchParams): Record<string, unknown> {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') throw new StsError('unsupported_grant_type', 'grant_type must be urn:ietf:params:oauth:grant-type:token-exchange');
    if (form.get('subject_token_type') !== SUBJECT_TOKEN_TYPE) throw new StsError('invalid_request', `subject_token_type must be ${SUBJECT_TOKEN_TYPE}`);
    if (form.get('audience') !== AUDIENCE) throw new StsError('invalid_target', 'The audience is not this emulator\'s workload identity provider.');
    const member = this.verifySubject(form.get('subject_token') ?? '');
    const token = `ya29.local-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { member, expiresAtMs: this.now() + ACCESS_TOKEN_SECONDS * 1000 });
    return { access_token: token, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
  }

  /** The member an `Authorization` header proves, or null (no header, junk, foreign or expired token). */
  resolve(authorization: string | undefined): string | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return null;
    const got = this.accessTokens.get(m[1]!);
    if (!got) return null;
    if (got.expiresAtMs <= this.now()) {
      this.accessTokens.delete(m[1]!);
      return null;
    }
    return got.member;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  private verifySubject(jwt: string): string {
    const [head, body, sig] = jwt.split('.');
    const bad = new StsError('invalid_grant', 'The subject token is not one this emulator signed.');
    if (!head || !body || !sig) throw bad;
    const want = Buffer.from(this.sign(`${head}.${body}`));
    const have = Buffer.from(sig);
    if (want.length !== have.length || !timingSafeEqual(want, have)) throw bad;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: unknown; aud?: unknown; exp?: unknown };
    if (claims.aud !== AUDIENCE || typeof claims.sub !== 'string') throw bad;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) throw new StsError('invalid_grant', 'The subject token has expired: restart the local stack.');
    return claims.sub;
  }
}
