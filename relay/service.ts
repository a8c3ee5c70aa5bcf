import { Duration, type Message, type PubSub, type Subscription } from '@google-cloud/pubsub';
import type { BlobStore } from '../core/ports/blobStore';
import { isErrorChunk } from '../core/protocol/chunkEncoding';
import { NeedChunksFirst } from './chunks/pyramidTiles';
import { createFairQueue } from './fairQueue';
import { chunkPath, relayMessageSchema, relaySubscriptionName, RELAY_TOPIC, TASKS_TOPIC, type ChunkSpec, type RelayMessage } from '../core/protocol';
import { registryCheck } from '../core/tasks/dataKwargs';
import { httpStatusOf } from '../adapters/gcs/objects';
import { refuseRequest } from './admission';

/** Chunks at least this large are worth gzip only when they shrink well; JSON always does. */
const GZIP_MIN_BYTES = 4096;
/**
 * Chunks are read once or twice: zlib level 1 compresses int16 noise as well as level 6 (0.39 vs 0.37
 * of the size on the bench recording) at a tenth of the CPU time (0.18 s vs 2.1 s for 23 MB).
 */
const GZIP_LEVEL = 1;

export interface RelayServiceOptions {
  pubsub: PubSub;
  label: string;
  /** The private bucket, through the BlobStore port. */
  chunks: BlobStore;
  /** May throw NeedChunksFirst (a pyramid tile whose children are not up yet): those are produced first. */
  produce(spec: ChunkSpec): Promise<{ bytes: Uint8Array; isError: boolean }>;
  /** Chunks produced at once (the fair queue's slots); each request's chunks go one after another, so memory stays bounded. */
  maxConcurrentRequests?: number;
  /** Requests held at once, waiting in the fair queue: enough that every caller's request is seen, not only the flood's. */
  maxHeldRequests?: number;
  log?: (line: string) => void;
}

export interface RelayService {
  stats(): { requests: number; chunksUploaded: number; chunksCached: number; errors: number; bytesUploaded: number; refused: number };
  stop(): Promise<void>;
}

/**
 * The relay's only job: pull chunk requests for its label, upload what is missing to the private
 * bucket (content-addressed: good chunks are written once, error chunks replaced when asked again),
 * then re-publish the waiting task. No port is opened.
 * Pub/Sub is at-least-once, so everything here is idempotent: a chunk already present is skipped, a
 * task re-published twice is harmless (the worker writes results once).
 */
export async function startRelayService(opts: RelayServiceOptions): Promise<RelayService> {
  const log = opts.log ?? (() => {});
  const subscription = await ensureRelaySubscription(opts.pubsub, opts.label);
  const stats = { requests: 0, chunksUploaded: 0, chunksCached: 0, errors: 0, bytesUploaded: 0, refused: 0 };
  /** The registry lives in the same private bucket as the chunks (`objects/<label>/`). */
  const isRegistered = registryCheck((path) => opts.chunks.exists(path));
  const tasks = opts.pubsub.topic(TASKS_TOPIC, { batching: { maxMessages: 1 } });
  // Many requests are pulled and held (a relay message is at most a few MB; most are a few hundred
  // bytes), few chunks are produced at once: the fair queue picks whose chunk goes next.
  const sub: Subscription = opts.pubsub.subscription(subscription, {
    flowControl: { maxMessages: opts.maxHeldRequests ?? 256, maxBytes: 256 * 1024 * 1024, allowExcessMessages: false },
    // The client extends a held request's lease by its ack-latency percentile, up to 10 min by
    // default: a relay that dies (killed, machine off) would keep its requests from the restarted one
    // that long. The lease is renewed while a request is worked on, so 60 s bounds only that wait.
    maxAckDeadline: Duration.from({ seconds: 60 }),
  });
  const queue = createFairQueue(opts.maxConcurrentRequests ?? 4);

  /**
   * Chunks being produced now, by path: the first views of a sorting ask for the same sorting chunk
   * from several tasks at once, and a second producer would only redo the work (and lose the write).
   */
  const inFlight = new Map<string, Promise<number>>();
  /**
   * Error chunks already replaced, as `<path>@<generation>`: after the backoff, every task of a view
   * that failed on one chunk asks for it again, each naming the generation it read; one production
   * answers them all. Bounded; forgetting an entry only costs one more production.
   */
  const replaced = new Set<string>();
  /** Whether `generation` is still the live copy of `path` and an error chunk: only then is it replaced. */
  const isStaleError = async (path: string, generation: string): Promise<boolean> => {
    if (replaced.has(`${path}@${generation}`)) return false;
    const live = await opts.chunks.readVersioned(path);
    return !!live && live.generation === generation && isErrorChunk(live.bytes);
  };
  /**
   * Uploads one chunk unless present; resolves to the bytes uploaded (0: it was there, or another
   * request uploaded it). With `replaceGeneration` (a stale error chunk, relay message `replace`) it is
   * produced again and written only over that generation: an error chunk is never final, and a good
   * chunk is never overwritten.
   */
  const ensureChunk = (spec: ChunkSpec, taskHash: string, replaceGeneration?: string, queueKey: string = taskHash): Promise<number> => {
    const path = chunkPath(opts.label, spec);
    const pending = inFlight.get(path);
    if (pending) return pending.then(() => { stats.chunksCached++; return 0; });
    const p = (async () => {
      if (replaceGeneration ? !(await isStaleError(path, replaceGeneration)) : await opts.chunks.exists(path)) {
        stats.chunksCached++;
        return 0;
      }
      const { bytes, isError } = await produceInTurn(spec, taskHash, queueKey);
      if (isError) {
        stats.errors++;
        log(`chunk ${spec.type} for task ${taskHash}: ${new TextDecoder().decode(bytes.subarray(8)).slice(0, 300)}`);
      }
      // A concurrent or repeated request for the same chunk leaves the first copy alone.
      const wrote = await opts.chunks.write(path, bytes, { ifGenerationMatch: replaceGeneration ?? 0, contentType: 'application/octet-stream', gzipMinBytes: GZIP_MIN_BYTES, gzipLevel: GZIP_LEVEL })
        .catch((err: unknown) => {
          // Replacing takes storage.objects.delete on chunks/<label>/ (iam/policy.json); without it the
          // stale error stays, and the task fails with it rather than this request being redelivered for ever.
          // Any shape the client gives a 403 in: a chunk over 8 MiB is refused when its resumable session opens (a GaxiosError, no `code`).
          if (!replaceGeneration || httpStatusOf(err) !== 403) throw err;
          log(`cannot replace the error chunk ${path}: this relay's account may create but not replace objects under chunks/${opts.label}/ (grant roles/storage.objectUser there, docs/deploy.md)`);
          return false;
        });
      if (replaceGeneration) {
        replaced.add(`${path}@${replaceGeneration}`);
        if (replaced.size > 10_000) replaced.delete(replaced.values().next().value!);
      }
      if (!wrote) {
        stats.chunksCached++;
        return 0;
      }
      stats.chunksUploaded++;
      stats.bytesUploaded += bytes.length;
      return bytes.length;
    })().finally(() => inFlight.delete(path));
    inFlight.set(path, p);
    return p;
  };

  /**
   * Produces a chunk when its key's turn comes (relay/fairQueue.ts: callers in turn, else tasks). A
   * chunk made from others not up yet (a pyramid tile) first has those ensured, each in its own turn;
   * waiting for them holds no slot.
   */
  const produceInTurn = async (spec: ChunkSpec, taskHash: string, queueKey: string): Promise<{ bytes: Uint8Array; isError: boolean }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await queue.run(queueKey, () => opts.produce(spec));
      } catch (err) {
        if (!(err instanceof NeedChunksFirst)) throw err;
        // They were just uploaded: not finding them again is the bucket failing (the request is retried).
        if (attempt > 0) throw new Error(`chunk ${spec.type}: ${err.message} even after producing them`, { cause: err });
        for (const first of err.specs) await ensureChunk(first, taskHash, undefined, queueKey);
      }
    }
  };

  const handle = async (request: RelayMessage) => {
    const t0 = Date.now();
    let uploaded = 0;
    let bytesOut = 0;
    const replace = new Map((request.replace ?? []).map((r) => [r.index, r.generation]));
    for (const [i, spec] of request.chunks.entries()) {
      const n = await ensureChunk(spec, request.reply.taskHash, replace.get(i), request.reply.task.caller ?? request.reply.taskHash);
      if (n) { uploaded++; bytesOut += n; }
    }
    const task = request.reply.task;
    await tasks.publishMessage({ json: task, attributes: { backend: task.backend, taskHash: task.taskHash } });
    log(`${new Date().toISOString()} served ${uploaded}/${request.chunks.length} chunks (${(bytesOut / 2 ** 20).toFixed(1)} MiB before gzip) for ${task.functionId} ${task.taskHash.slice(0, 10)} in ${Date.now() - t0} ms`);
  };

  sub.on('message', async (message: Message) => {
    let request: RelayMessage;
    try {
      request = relayMessageSchema.parse(JSON.parse(message.data.toString('utf8')));
    } catch (err) {
      log(`dropped a malformed relay request ${message.id}: ${(err as Error).message.slice(0, 300)}`);
      message.ack(); // no retry can fix it
      return;
    }
    if (request.backend !== opts.label) {
      message.ack(); // not ours (the subscription filter should already have kept it away)
      return;
    }
    stats.requests++;
    try {
      // Only this label's tasks on this label's registered data (admission.ts): nothing uploaded, nothing re-published otherwise.
      const refused = await refuseRequest(request, opts.label, isRegistered);
      if (refused) {
        stats.refused++;
        log(`refused relay request ${request.requestId}: ${refused}`);
        message.ack(); // asking again cannot make it acceptable
        return;
      }
      await handle(request);
      message.ack();
    } catch (err) {
      log(`relay request ${request.requestId} failed, will be retried: ${(err as Error).message}`);
      message.nack();
    }
  });
  sub.on('error', (err) => log(`relay subscription error: ${err.message}`));

  return {
    stats: () => ({ ...stats }),
    stop: () => sub.close(),
  };
}

/** `sortingview-relay-<label>` on `sortingview-relay`, filtered to this label; created when missing. */
export async function ensureRelaySubscription(pubsub: PubSub, label: string): Promise<string> {
  const name = relaySubscriptionName(label);
  const [exists] = await pubsub.subscription(name).exists();
  if (!exists) {
    try {
      await pubsub.topic(RELAY_TOPIC).createSubscription(name, { filter: `attributes.backend = "${label}"`, ackDeadlineSeconds: 60 });
    } catch (err) {
      if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS: another relay instance made it
    }
  }
  return name;
}
