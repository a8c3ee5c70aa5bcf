import { sha1Hex, stableStringify } from '../protocol';

/**
 * The hash that names a subfeed (kachery `_subfeed_hash`, 2021 GUI `sha1OfObject`):
 * - a string name → sha1 of its UTF-8 bytes (`main` → b28b7af6…);
 * - `~<40 hex>` → that hash, verbatim (how `feed://<feedId>/~<hash>` URIs name a subfeed);
 * - an object name → sha1 of its deterministic JSON (sorted keys, compact), e.g.
 *   `{name: 'sortingCuration', sortingId}`. Python's `json.dumps(sort_keys=True, separators=(',',':'))`
 *   gives the same bytes for ASCII names; for non-ASCII ones we follow the 2021 GUI (raw UTF-8).
 */
export function subfeedHash(name: string | Record<string, unknown>): string {
  if (typeof name === 'string') {
    const literal = /^~([0-9a-fA-F]{40})$/.exec(name);
    return literal ? literal[1].toLowerCase() : sha1Hex(name);
  }
  if (name === null || typeof name !== 'object' || Array.isArray(name)) {
    throw new TypeError(`subfeedHash: a subfeed name is a string or an object, not ${JSON.stringify(name)}`);
  }
  return sha1Hex(stableStringify(name));
}

/** The subfeed every workspace's actions live in. */
export const WORKSPACE_SUBFEED_NAME = 'main';
export const workspaceSubfeedHash = (): string => subfeedHash(WORKSPACE_SUBFEED_NAME);

/** The name of a sorting's curation subfeed (one log per sorting; messages are bare curation actions). */
export function curationSubfeedName(sortingId: string): { name: 'sortingCuration'; sortingId: string } {
  return { name: 'sortingCuration', sortingId };
}
export const curationSubfeedHash = (sortingId: string): string => subfeedHash(curationSubfeedName(sortingId));
