// The storage contract against our emulator, on ephemeral loopback ports.
import { runStorageContract } from '../../test/contract/storage.case';
import { startStorageEmulator } from './index';

const ORIGIN = 'http://localhost:8080';

runStorageContract({
  name: 'emulator/storage',
  make: async () => {
    const emulator = await startStorageEmulator({
      buckets: [
        { name: 'sv-contract-public', public: true },
        { name: 'sv-contract-private', public: false },
      ],
      corsOrigins: [ORIGIN],
      projectId: 'sortingview-test',
      log: process.env.SV_STORAGE_LOG ? (l) => console.log(l) : undefined,
    });
    return {
      env: { STORAGE_EMULATOR_HOST: emulator.url },
      publicUrl: emulator.publicUrl,
      publicBucket: 'sv-contract-public',
      privateBucket: 'sv-contract-private',
      allowedOrigin: ORIGIN,
      counters: () => emulator.counters(),
      stop: () => emulator.stop(),
    };
  },
});
