import { Storage } from '@google-cloud/storage';
import { afterAll } from 'vitest';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { startStorageEmulator, type StorageEmulator } from '../../emulator/storage';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { runBlobStoreContract } from './blobStore.case';

runBlobStoreContract({ name: 'in memory', make: async () => memoryBlobStore() });

let emulator: StorageEmulator | undefined;
let n = 0;
runBlobStoreContract({
  name: 'Cloud Storage (emulator)',
  make: async () => {
    emulator ??= await startStorageEmulator({ buckets: [] });
    const storage = new Storage({ projectId: 'sortingview-test', apiEndpoint: emulator.url });
    const [bucket] = await storage.createBucket(`blobstore-contract-${++n}`);
    return gcsBlobStore(bucket);
  },
});
afterAll(async () => emulator?.stop());
