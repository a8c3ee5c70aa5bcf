/**
 * A feed or workspace problem the caller can act on (malformed URI, unknown workspace, corrupt log).
 * Shells show `message` as is; it says how to fix the problem where there is a fix.
 */
export class FeedError extends Error {
  override name = 'FeedError';
  constructor(message: string, readonly code: FeedErrorCode, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type FeedErrorCode =
  | 'bad-uri' // a workspace/feed URI or id that does not parse
  | 'bad-message' // a message that may not be appended (not an object, too large)
  | 'unknown-feed' // no such feed in the bucket
  | 'unknown-recording' // a recording id the workspace does not hold
  | 'exists' // creating something that is already there
  | 'corrupt-feed' // a stored message is missing or unreadable
  | 'ambiguous-write'; // a write failed in a way that leaves it unknown whether it landed
