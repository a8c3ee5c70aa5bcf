import type { BlobStore } from '../ports/blobStore';
import { aclPath, workspaceAclSchema, type WorkspaceAcl } from '../protocol';
import { CurationError } from './errors';

/**
 * Reading and rewriting `acl/<feedId>.json` in the private bucket over the BlobStore port (the API
 * and the CLI pass Cloud Storage adapters). A rewrite is a compare-and-swap on the object's
 * generation, retried when someone else changed it in between, so two concurrent changes both land.
 */

const MAX_ATTEMPTS = 20;

function parseAcl(bytes: Uint8Array, feedId: string): WorkspaceAcl {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    json = undefined;
  }
  const parsed = workspaceAclSchema.safeParse(json);
  if (!parsed.success) throw new CurationError(`The access list acl/${feedId}.json in the private bucket is not {owner, editors}: fix it by hand (it is small JSON)`, 'corrupt-acl');
  return parsed.data;
}

export async function readAcl(store: BlobStore, feedId: string): Promise<WorkspaceAcl | null> {
  const bytes = await store.read(aclPath(feedId));
  return bytes ? parseAcl(bytes, feedId) : null;
}

/**
 * Applies `change` to the current ACL (null when there is none) and writes the result with
 * `ifGenerationMatch`, retrying on a lost race. `change` returning its argument unchanged writes
 * nothing. Returns the ACL as stored afterwards.
 */
export async function updateAcl(store: BlobStore, feedId: string, change: (acl: WorkspaceAcl | null) => WorkspaceAcl): Promise<WorkspaceAcl> {
  const path = aclPath(feedId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const got = await store.readVersioned(path);
    const current = got ? parseAcl(got.bytes, feedId) : null;
    const next = change(current);
    if (next === current) return next;
    const wrote = await store.write(path, JSON.stringify(next), { ifGenerationMatch: got ? got.generation : 0, contentType: 'application/json' });
    if (wrote) return next;
  }
  throw new CurationError(`The access list of workspace ${feedId} kept changing while we tried to update it (${MAX_ATTEMPTS} attempts); try again`, 'acl-contended');
}
