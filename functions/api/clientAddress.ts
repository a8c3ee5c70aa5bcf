import { isIPv6 } from 'node:net';

/**
 * The caller's address, as the rate limit keys it.
 *
 * Express's `req.ip` (functions-framework turns on `trust proxy`) is the LEFTMOST `X-Forwarded-For`
 * entry, which the caller writes: a random header per request made every request a new caller, and the
 * limit never applied (issue 14, item 5). Proxies APPEND what they saw, so only entries added by our
 * own proxies can be trusted, counted from the right:
 * - Cloud Functions (gen2) / Cloud Run: Google's front end appends the address it received the request
 *   from, so the client is the last entry: `trustedHops = 1` (the default).
 * - Behind an external Application Load Balancer: it sends `<client>, <load balancer>`, so the client is
 *   the second entry from the right: `trustedHops = 2`.
 * - Nothing in front (the local stack): the socket's peer: `trustedHops = 0`.
 * A header shorter than the trusted hops means a proxy is missing: the socket's peer is used.
 *
 * IPv6 callers are keyed by their /64 (one subscriber usually holds a whole /64, so per-address keys
 * would give one machine 2^64 buckets).
 */
export function clientAddress(req: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } }, trustedHops: number): string {
  const peer = normalize(req.socket?.remoteAddress ?? '') || 'unknown';
  if (trustedHops <= 0) return peer;
  const raw = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(raw) ? raw.join(',') : raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length < trustedHops) return peer;
  return normalize(entries[entries.length - trustedHops]) || peer;
}

function normalize(address: string): string {
  let a = address.trim();
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7); // IPv4-mapped
  if (!isIPv6(a)) return a.slice(0, 64);
  return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(a: string): string[] {
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => (g.includes('.') ? g : g.toLowerCase().replace(/^0+(?=.)/, '')));
}

/** `SORTINGVIEW_TRUSTED_PROXY_HOPS`: 1 on Cloud Functions, 2 behind a load balancer, 0 with nothing in front. */
export function trustedProxyHops(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error(`SORTINGVIEW_TRUSTED_PROXY_HOPS must be an integer 0-10 (1 on Cloud Functions, 2 behind a load balancer, 0 with nothing in front), not ${JSON.stringify(value)}`);
  return n;
}
