import { Storage } from '@google-cloud/storage';

/**
 * The Cloud Storage client of every component (api, worker, relay, CLI). `useAuthWithCustomEndpoint`
 * changes nothing against Google (credentials always go to storage.googleapis.com); with
 * STORAGE_EMULATOR_HOST set it makes the client send them to the emulator too, which holds each
 * component to its own IAM bindings (iam/policy.json) instead of trusting everyone.
 */
export function storageClient(projectId: string | undefined): Storage {
  return new Storage({ projectId, useAuthWithCustomEndpoint: true });
}
