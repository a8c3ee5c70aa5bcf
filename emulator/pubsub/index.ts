// Our wire-compatible Google Cloud Pub/Sub emulator: google.pubsub.v1 Publisher and Subscriber
// served with grpc-js from the client's own .proto files. Point the real client at it with
// PUBSUB_EMULATOR_HOST=<host> (or `new PubSub({ apiEndpoint: host })`).
import * as grpc from '@grpc/grpc-js';
import { Broker } from './broker.js';
import { FaultSwitch, type PubSubFaults } from './faults.js';
import { loadPubSubServices } from './proto.js';
import { publisherService } from './publisherService.js';
import { DEFAULT_PUSH_OPTIONS, PushDeliverer, type PushOptions } from './push.js';
import { subscriberService } from './subscriberService.js';

export type { PubSubFaults } from './faults.js';
export type { PushOptions } from './push.js';

export interface PubSubEmulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  faults?: PubSubFaults;
  /** Push delivery tuning; a subscription's retryPolicy still wins over `push.backoff`. */
  push?: Partial<PushOptions>;
}

export interface PubSubEmulator {
  /** "127.0.0.1:PORT": the value for PUBSUB_EMULATOR_HOST. */
  host: string;
  /** Replaces the active faults (and restarts their random sequence from `seed`). */
  setFaults(f: PubSubFaults): void;
  stats(): { published: number; delivered: number; acked: number; nacked: number; redelivered: number };
  stop(): Promise<void>;
}

/** How often ack deadlines and retry backoffs are checked; bounds their precision. */
const TICK_MS = 20;
/** Google accepts publish requests up to 10 MB; leave headroom over grpc's 4 MB default. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export async function startPubSubEmulator(opts: PubSubEmulatorOptions = {}): Promise<PubSubEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const faults = new FaultSwitch(opts.faults ?? {});
  const broker = new Broker({ now: Date.now, faults });
  const push = new PushDeliverer({ ...DEFAULT_PUSH_OPTIONS, ...opts.push });
  push.attach(broker);

  const services = loadPubSubServices();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(services.publisher, publisherService(broker));
  server.addService(services.subscriber, subscriberService(broker));

  const hostPart = host.includes(':') ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${hostPart}:${opts.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(new Error(`Pub/Sub emulator could not listen on ${hostPart}:${opts.port ?? 0}: ${err.message}`, { cause: err })) : resolve(p),
    ),
  );

  const ticker = setInterval(() => broker.tick(), TICK_MS);
  ticker.unref();

  let stopped: Promise<void> | undefined;
  return {
    host: `${hostPart}:${port}`,
    setFaults: (f) => faults.set(f),
    stats: () => ({ ...broker.stats }),
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        clearInterval(ticker);
        push.stop();
        // Streaming pulls never end by themselves, so a graceful shutdown would wait forever.
        server.forceShutdown();
        resolve();
      })),
  };
}
