import { z } from 'zod';

/**
 * The Firebase web config of the deployment's project (sign-in with Google through Firebase
 * Authentication). `authEmulatorHost` (`127.0.0.1:9099`) is set only by the local stack: the app then
 * signs in against the Auth emulator with a form that asks for an address (no Google, no internet),
 * and exposes the same sign-in to browser tests.
 */
export const firebaseWebConfigSchema = z.object({
  apiKey: z.string().min(1),
  authDomain: z.string().min(1),
  projectId: z.string().min(1),
  authEmulatorHost: z.string().regex(/^[^\s/]+:\d+$/, 'host:port').optional(),
  /** Local stack only: the address its sign-in form suggests (the demo workspace's owner). */
  emulatorSignInEmail: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'an address such as demo@localhost').optional(),
});
export type FirebaseWebConfig = z.infer<typeof firebaseWebConfigSchema>;

/**
 * `config.json` beside the app: where the public bucket is read from, the deployment's own API (the
 * only place sign-in tokens are sent: auth/ownApi.ts), its default backend, and sign-in.
 */
export const webConfigSchema = z.object({
  storageUrl: z.string().url(),
  /** The deployment's `api` function. Absent: signed-in calls are off (curation read-only). */
  apiUrl: z.string().url().optional(),
  defaultBackendUri: z.string().optional(),
  /** Absent: the deployment offers no sign-in, so curation is read-only. */
  firebase: firebaseWebConfigSchema.optional(),
});
export type WebConfig = z.infer<typeof webConfigSchema>;

export async function loadWebConfig(): Promise<WebConfig> {
  const res = await fetch('config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not load config.json (${res.status})`);
  return webConfigSchema.parse(await res.json());
}
