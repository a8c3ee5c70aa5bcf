// What a route handler receives: the request, the shared state, and who is calling.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from './access';
import type { Counters } from './counters';
import type { IamPolicies } from './iam';
import type { LocalIdentities } from './identity';
import type { Sessions } from './sessions';
import type { Store } from './store';

export interface Limits {
  /** Largest object accepted by any upload path. */
  maxObjectBytes: number;
  /** Largest JSON request body (object/bucket resources, patches). */
  maxJsonBytes: number;
}

export interface Deps {
  store: Store;
  sessions: Sessions;
  counters: Counters;
  limits: Limits;
  corsOrigins: string[];
  /** Bucket IAM policies (iam.ts) and the principals that can prove who they are (identity.ts). */
  iam: IamPolicies;
  identities: LocalIdentities;
  /** One line per request when set (the CLI's --verbose). */
  log?: (line: string) => void;
  /** Back to the state at start: configured buckets, no objects, no sessions, zero counters. */
  reset(): void;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  deps: Deps;
  query: URLSearchParams;
  /** Decoded path parameters (bucket, object, srcBucket, srcObject, verb). */
  params: Record<string, string>;
  /** http://host:port the request came in on; used for selfLink, mediaLink and session URIs. */
  baseUrl: string;
  caller: Caller;
  /** XML API form (errors as XML, anonymous by default). */
  xml: boolean;
  /** Operation to count when the response succeeds (see counters.ts); handlers may refine it. */
  op?: string;
}
