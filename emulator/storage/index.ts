// An emulator of the Google Cloud Storage JSON API (and the public XML GET), good enough for the
// real @google-cloud/storage 7.x client via STORAGE_EMULATOR_HOST. Two ports share one store:
// `url` (trusted: a request without credentials acts as the project owner) and `publicUrl`
// (anonymous unless it carries a token this emulator issued; CORS). Principals with credentials
// (`writeCredentials`) are held to the buckets' IAM policies on both. README.md explains why.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deps, Limits } from './context';
import { Counters, type CountersSnapshot } from './counters';
import { IamPolicies, type BucketPolicies } from './iam';
import { LocalIdentities } from './identity';
import { createRequestListener } from './server';

/** How long an idle keep-alive connection stays open. */
const IDLE_KEEP_ALIVE_MS = 120_000;
import { Sessions } from './sessions';
import { Store } from './store';

export interface StorageEmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Trusted port (service-account access), 0 = ephemeral. */
  port?: number;
  /** Anonymous port (browsers, anyone without credentials), 0 = ephemeral. */
  publicPort?: number;
  /** Buckets created at start (and again on reset). */
  buckets?: { name: string; public: boolean }[];
  /**
   * IAM bindings per bucket (what the local stack derives from iam/policy.json). A bucket without
   * an entry gets `allUsers: roles/storage.legacyObjectReader` when public, nothing otherwise.
   */
  iam?: BucketPolicies;
  /** Origins allowed by CORS on the public port ('*' allowed). */
  corsOrigins?: string[];
  /** The project the emulator stands for; informational (any `project` parameter is accepted). */
  projectId?: string;
  /** Largest object accepted; default 512 MiB (everything is held in memory). */
  maxObjectBytes?: number;
  /** Injected clock in milliseconds, for deterministic tests. */
  now?: () => number;
  /** Called with one line per request (method, URL, status), e.g. console.log. */
  log?: (line: string) => void;
}

export interface StorageEmulator {
  /** http://127.0.0.1:PORT: trusted; server-side components; STORAGE_EMULATOR_HOST. */
  url: string;
  /** http://127.0.0.1:PORT2: anonymous; browsers and anyone without credentials. */
  publicUrl: string;
  /** Successful operations by GCS price class since start or the last reset. */
  counters(): CountersSnapshot;
  resetCounters(): void;
  /**
   * Credentials for `member` (e.g. `serviceAccount:sortingview-api@p.iam.gserviceaccount.com`):
   * writes an `external_account` credentials file into `dir` and returns its path, for
   * GOOGLE_APPLICATION_CREDENTIALS (with `useAuthWithCustomEndpoint: true` in the client).
   */
  writeCredentials(dir: string, name: string, member: string): string;
  stop(): Promise<void>;
}

export type { CountersSnapshot } from './counters';

const DEFAULT_LIMITS: Limits = { maxObjectBytes: 512 * 1024 * 1024, maxJsonBytes: 1024 * 1024 };

export async function startStorageEmulator(opts: StorageEmulatorOptions = {}): Promise<StorageEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const store = new Store({ now });
  const sessions = new Sessions(now);
  const counters = new Counters();
  const initialBuckets = opts.buckets ?? [];
  const createInitialBuckets = (): void => {
    for (const b of initialBuckets) store.createBucket(b.name, b.public);
  };
  createInitialBuckets();

  const policies: BucketPolicies = {};
  for (const b of initialBuckets) {
    policies[b.name] = opts.iam?.[b.name] ?? (b.public ? [{ role: 'roles/storage.legacyObjectReader', member: 'allUsers' }] : []);
  }
  const identities = new LocalIdentities(now);

  const deps: Deps = {
    store,
    iam: new IamPolicies(policies),
    identities,
    sessions,
    counters,
    limits: { ...DEFAULT_LIMITS, ...(opts.maxObjectBytes !== undefined ? { maxObjectBytes: opts.maxObjectBytes } : {}) },
    corsOrigins: opts.corsOrigins ?? [],
    log: opts.log,
    reset() {
      store.clear();
      sessions.clear();
      counters.reset();
      createInitialBuckets();
    },
  };

  const trusted = createServer(createRequestListener(deps, 'trusted'));
  const anonymous = createServer(createRequestListener(deps, 'public'));
  // Google's front ends keep idle connections open for minutes; Node's 5 s default closes them
  // under a client that is about to reuse one (socket hang up / EPIPE in the relay's uploads).
  for (const server of [trusted, anonymous]) {
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    server.headersTimeout = IDLE_KEEP_ALIVE_MS + 5000;
  }
  const trustedPort = await listen(trusted, host, opts.port ?? 0);
  let publicPort: number;
  try {
    publicPort = await listen(anonymous, host, opts.publicPort ?? 0);
  } catch (err) {
    await close(trusted);
    throw err;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${trustedPort}`,
    publicUrl: `http://${urlHost}:${publicPort}`,
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    // The token endpoint is on the public port, which every component can reach.
    writeCredentials: (dir, name, member) => identities.writeCredentials(dir, name, member, `http://${urlHost}:${publicPort}`),
    stop: async () => {
      await Promise.all([close(trusted), close(anonymous)]);
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`Storage emulator cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  });
}
