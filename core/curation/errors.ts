/**
 * A curation or permissions problem the caller can act on: an action the API refuses, a phy file that
 * does not parse, a permission change that makes no sense. Shells show `message` as is.
 */
export class CurationError extends Error {
  override name = 'CurationError';
  constructor(message: string, readonly code: CurationErrorCode, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type CurationErrorCode =
  | 'bad-action' // a message that is not a valid action for its subfeed
  | 'unknown-unit' // an action names a unit the sorting does not have
  | 'bad-file' // an import file (cluster_group.tsv) that does not parse
  | 'bad-permission-change' // e.g. taking edit rights from the owner
  | 'corrupt-acl' // acl/<feedId>.json is not {owner, editors}
  | 'acl-contended'; // the ACL kept changing under us
