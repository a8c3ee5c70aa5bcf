import { z } from 'zod';

/** `config.json` beside the app: where the public bucket is read from, and the deployment's default backend. */
export const webConfigSchema = z.object({
  storageUrl: z.string().url(),
  defaultBackendUri: z.string().optional(),
});
export type WebConfig = z.infer<typeof webConfigSchema>;

export async function loadWebConfig(): Promise<WebConfig> {
  const res = await fetch('config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not load config.json (${res.status})`);
  return webConfigSchema.parse(await res.json());
}
