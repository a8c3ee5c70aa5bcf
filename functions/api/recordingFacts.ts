import type { BlobStore } from '../../core/ports/blobStore';
import { taskHash, taskResultPath } from '../../core/protocol';
import { recordingFactsOf, recordingInfoRequest } from '../../core/tasks/contracts/recording';
import type { RecordingFacts } from '../../core/tasks/cost';

/** Recordings whose facts an API instance keeps (a few hundred bytes each). */
const MAX_CACHED = 2000;

/**
 * The facts the relay cost estimates need (channels, frames, own filters), from the recording's cached
 * recording_info.3 result in the public bucket. That result is pure and immutable, so a fact once
 * read is kept; absence is not kept (the result may be written a moment later).
 */
export function cachedRecordingFacts(publicStore: BlobStore): (label: string, recordingUri: string) => Promise<RecordingFacts | null> {
  const known = new Map<string, RecordingFacts>();
  return async (label, recordingUri) => {
    const { functionId, kwargs } = recordingInfoRequest(recordingUri);
    const path = taskResultPath(label, taskHash(functionId, kwargs));
    const hit = known.get(path);
    if (hit) return hit;
    const bytes = await publicStore.read(path);
    if (!bytes) return null;
    let facts: RecordingFacts | null;
    try {
      facts = recordingFactsOf(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      return null; // not JSON: estimate as if unknown
    }
    if (facts) {
      if (known.size >= MAX_CACHED) known.delete(known.keys().next().value!);
      known.set(path, facts);
    }
    return facts;
  };
}
