/**
 * Google's public certificates for Firebase ID tokens (`kid` → PEM x509), fetched from the securetoken
 * endpoint and kept for as long as its `Cache-Control: max-age` says (Google rotates keys daily and
 * publishes the next one in advance). Fetch and clock are injected; tests pass their own certificates
 * to the verifier instead of using this.
 */
export const SECURETOKEN_CERTS_URL = 'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';
/** Without a max-age, certificates are re-fetched after this long. */
const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000;

export type CertSource = () => Promise<Record<string, string>>;

export function secureTokenCerts(deps: { fetch: typeof fetch; now: () => number; url?: string }): CertSource {
  let cached: { certs: Record<string, string>; until: number } | null = null;
  let inFlight: Promise<Record<string, string>> | null = null;
  const load = async (): Promise<Record<string, string>> => {
    const res = await deps.fetch(deps.url ?? SECURETOKEN_CERTS_URL);
    if (!res.ok) throw new Error(`GET ${deps.url ?? SECURETOKEN_CERTS_URL} answered ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!body || typeof body !== 'object' || !Object.values(body).every((v) => typeof v === 'string')) {
      throw new Error('the securetoken certificate endpoint did not answer {kid: PEM}');
    }
    const maxAge = /max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1];
    cached = { certs: body as Record<string, string>, until: deps.now() + (maxAge ? Number(maxAge) * 1000 : DEFAULT_MAX_AGE_MS) };
    return cached.certs;
  };
  return async () => {
    if (cached && deps.now() < cached.until) return cached.certs;
    inFlight ??= load().finally(() => { inFlight = null; });
    return inFlight;
  };
}
