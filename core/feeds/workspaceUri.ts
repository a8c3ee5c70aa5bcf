import { FeedError } from './errors';

/** Random bytes, injected (the shells pass `crypto.randomBytes`; tests pass a seeded source). */
export type RandomBytes = (n: number) => Uint8Array;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A new feed id: 64 random hex digits (256 bits). The id is a capability: whoever holds a workspace's
 * URI can read it, so it must be unguessable, which is why it comes from a CSPRNG in the shells.
 */
export function newFeedId(random: RandomBytes): string {
  const bytes = random(32);
  if (bytes.length !== 32) throw new Error(`newFeedId: the random source returned ${bytes.length} bytes, not 32`);
  return hex(bytes);
}

/** `R-<12 hex>` / `S-<12 hex>`, the 2021 recording and sorting id shapes (48 random bits). */
export function newItemId(prefix: 'R' | 'S', random: RandomBytes): string {
  const bytes = random(6);
  if (bytes.length !== 6) throw new Error(`newItemId: the random source returned ${bytes.length} bytes, not 6`);
  return `${prefix}-${hex(bytes)}`;
}

export interface WorkspaceUri {
  feedId: string;
  /** Display label carried in the URI (`?label=`), as 2021's `create_workspace` printed it. */
  label?: string;
}

/**
 * `workspace://<feedId>[?label=<label>]` → `{feedId, label}`. Hex is accepted in either case and
 * returned lowercase. The May-2021 form `workspace://<feedId>/<name>` named a subfeed by workspace name,
 * which this system never stored, so it is refused with a message rather than misread.
 */
export function parseWorkspaceUri(uri: string): WorkspaceUri {
  const text = uri.trim();
  const m = /^workspace:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(text);
  if (!m) {
    throw new FeedError(`Not a workspace URI: ${JSON.stringify(uri)}. Expected workspace://<64 hex digits>, as printed by "sortingview workspace create"`, 'bad-uri');
  }
  const [, id, rest, query] = m;
  if (!/^[0-9a-fA-F]{64}$/.test(id)) {
    throw new FeedError(`Not a workspace URI: ${JSON.stringify(uri)}. The feed id after workspace:// must be 64 hex digits (got ${id.length} characters${/[^0-9a-fA-F]/.test(id) ? ', not all hex' : ''}); was the URI cut short when copied?`, 'bad-uri');
  }
  if (rest && rest !== '/') {
    throw new FeedError(`Unsupported workspace URI ${JSON.stringify(uri)}: the workspace://<feedId>/<name> form of early 2021 is not supported; use workspace://<feedId>`, 'bad-uri');
  }
  const out: WorkspaceUri = { feedId: id.toLowerCase() };
  if (query) {
    let label: string | null;
    try {
      label = new URLSearchParams(query).get('label');
    } catch (err) {
      throw new FeedError(`Malformed query in workspace URI ${JSON.stringify(uri)}`, 'bad-uri', { cause: err });
    }
    if (label) out.label = label;
  }
  return out;
}

/** `{feedId, label}` → `workspace://<feedId>[?label=…]` (the label percent-encoded). */
export function formatWorkspaceUri(w: WorkspaceUri): string {
  if (!/^[0-9a-f]{64}$/.test(w.feedId)) throw new FeedError(`Not a feed id: ${JSON.stringify(w.feedId)} (64 lowercase hex digits)`, 'bad-uri');
  return `workspace://${w.feedId}${w.label ? `?${new URLSearchParams({ label: w.label }).toString()}` : ''}`;
}
