import { sha1Hex } from '../protocol/hash';
import { normalizeUser } from './permissions';

/**
 * Who appended a message, as the PUBLIC log records it (`user` of `{message, user, timestamp}`).
 *
 * Anyone holding a workspace URI reads its logs, and a link travels further than the lab (a paper's
 * supplement, a forwarded mail), so the log must not publish curators' e-mail addresses (issue 14,
 * item 13). What a viewer needs is to tell curators apart and recognise a colleague: the address's
 * local part, which colleagues know, plus a tag that tells two "alex"es apart:
 * `alex·3f9a0c`, with the tag = the first 6 hex digits of sha1(`<feedId>:<email>`).
 * - Not an address: nothing to mail or to look up; the domain is not published.
 * - Per workspace: the same person has unrelated tags in two workspaces, so logs cannot be joined.
 * - Checkable by whoever knows the address: the web app marks the signed-in user's own entries
 *   ("you"), and the owner, who sees the access list, can tell editors apart. (Someone who guesses an
 *   address can confirm the guess: that is the price of a tag without a deployment secret.)
 * The full address stays where it is needed for rights: the private ACL and the API's own logs.
 */
export function attributionOf(feedId: string, email: string): string {
  const user = normalizeUser(email);
  const local = user.includes('@') ? user.slice(0, user.indexOf('@')) : user;
  return `${local.slice(0, 64) || 'user'}·${sha1Hex(`${feedId}:${user}`).slice(0, 6)}`;
}

/** Whether `attribution` (a log's `user`) names `email` in this workspace. Logs from before attribution hold the address itself. */
export function isAttributionOf(feedId: string, email: string, attribution: string): boolean {
  return attribution === attributionOf(feedId, email) || normalizeUser(attribution) === normalizeUser(email);
}
