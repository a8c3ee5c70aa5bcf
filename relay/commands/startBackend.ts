import { homedir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { backendLabelSchema, backendUri, chunkPath } from '../../core/protocol';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { storageClient } from '../../adapters/gcs/storageClient';
import { startBackendHeartbeat } from '../backendConfig';
import { serveChunk } from '../chunks/serveChunk';
import { createFormatChunkServer } from '../chunks/formatChunks';
import { checkCredentials } from '../credentials';
import { pathRedactor } from '../data/errors';
import { KacheryStore } from '../data/kachery';
import { createOpenFile } from '../data/openFile';
import { DataRoots } from '../data/roots';
import { startRelayService } from '../service';
import { CliError } from '../cliErrors';

export interface StartBackendOptions {
  label?: string;
  appUrl?: string;
  apiUrl?: string;
  dataDir: string[];
  kacheryStorageDir?: string;
}

/**
 * `sortingview-start-backend`: announce this backend (config rewritten every 30 s) and serve chunk
 * requests for it until SIGINT/SIGTERM. Returns a stop function (the CLI waits for a signal).
 */
export async function startBackend(opts: StartBackendOptions, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ uri: string; stop(): Promise<void> }> {
  const label = opts.label ?? env.LABEL;
  if (!label) throw new CliError('Give the backend a label: --label NAME (or set LABEL)');
  const parsedLabel = backendLabelSchema.safeParse(label);
  if (!parsedLabel.success) throw new CliError(`Bad label ${JSON.stringify(label)}: ${parsedLabel.error.issues[0]?.message}`);
  const bucket = env.GOOGLE_BUCKET_NAME;
  if (!bucket) throw new CliError('GOOGLE_BUCKET_NAME is not set: name the deployment\'s public bucket');
  const apiUrl = opts.apiUrl ?? env.SORTINGVIEW_API_URL;
  if (!apiUrl) throw new CliError('The API URL is unknown: pass --api-url or set SORTINGVIEW_API_URL (printed by scripts/deploy)');
  checkCredentials(env);

  const roots = await DataRoots.create(opts.dataDir);
  const storeDir = opts.kacheryStorageDir ?? env.KACHERY_STORAGE_DIR ?? join(homedir(), 'kachery-storage');
  // A `.link` record may lead only into the data roots, like any plain path.
  const openFile = createOpenFile({ store: new KacheryStore(storeDir, { linkRoots: roots }), roots });
  // What reaches a chunk (and a public status) names no path of this machine: relative to a root, or none.
  const redact = pathRedactor({ describe: (p) => roots.describe(p), kacheryDir: storeDir });
  const storage = storageClient(env.GOOGLE_CLOUD_PROJECT);
  const pubsub = new PubSub({ projectId: env.GOOGLE_CLOUD_PROJECT });
  const chunks = gcsBlobStore(storage.bucket(env.SORTINGVIEW_PRIVATE_BUCKET ?? `${bucket}-private`));
  // Coarse pyramid tiles are derived from the finer tiles this relay uploaded (relay/chunks/pyramidTiles.ts).
  const formats = createFormatChunkServer(openFile, (spec) => chunks.read(chunkPath(label, spec)));

  const heartbeat = await startBackendHeartbeat({ bucket: storage.bucket(bucket), label, apiUrl, onError: (e) => log(`backend config: ${e.message}`) });
  const service = await startRelayService({
    pubsub, label, log,
    chunks,
    produce: (spec) => serveChunk(spec, { openFile, formats: formats.serve, redact }),
  });
  log(`Serving ${roots.list().length ? roots.list().join(', ') : 'no plain files'} and kachery storage ${storeDir}${opts.appUrl ? ` for ${opts.appUrl}` : ''}`);
  return {
    uri: backendUri(bucket, label),
    async stop() {
      heartbeat.stop();
      await service.stop();
      await formats.close();
      await pubsub.close();
    },
  };
}
