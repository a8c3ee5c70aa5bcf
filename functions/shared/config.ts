import { z } from 'zod';
import { ERROR_RETRY_AFTER_MS } from '../../core/tasks/lifecycle';

/** Configuration of both functions, from the environment (passed in, never read deep inside). */
export interface FunctionsConfig {
  projectId: string;
  bucket: string;
  privateBucket: string;
  /** Base of public object URLs given to browsers: https://storage.googleapis.com in production. */
  publicStorageUrl: string;
  /** Origins allowed to call the API from a browser ('*' = any). */
  appOrigins: string[];
  /** `SORTINGVIEW_DIAGNOSTIC_TASKS=1`: test_sleep and test_error run here (off by default: anyone may ask for them). */
  diagnosticTasks: boolean;
  /** `SORTINGVIEW_ERROR_RETRY_SEC`: how long an error is answered before asking again retries it (lifecycle.ts). */
  errorRetryAfterMs: number;
}

const envSchema = z.object({
  GOOGLE_BUCKET_NAME: z.string().min(3, 'GOOGLE_BUCKET_NAME must name the public bucket'),
  GOOGLE_CLOUD_PROJECT: z.string().optional(),
  GCLOUD_PROJECT: z.string().optional(),
  SORTINGVIEW_PRIVATE_BUCKET: z.string().optional(),
  SORTINGVIEW_PUBLIC_STORAGE_URL: z.string().url().optional(),
  SORTINGVIEW_APP_ORIGINS: z.string().optional(),
  SORTINGVIEW_DIAGNOSTIC_TASKS: z.enum(['0', '1', ''], { message: 'set it to 1 (diagnostic tasks on) or 0 (off)' }).optional(),
  SORTINGVIEW_ERROR_RETRY_SEC: z.string().regex(/^\d+(\.\d+)?$/, 'a number of seconds, e.g. 20').optional(),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadFunctionsConfig(env: Record<string, string | undefined>): FunctionsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    projectId: e.GOOGLE_CLOUD_PROJECT ?? e.GCLOUD_PROJECT ?? '',
    bucket: e.GOOGLE_BUCKET_NAME,
    privateBucket: e.SORTINGVIEW_PRIVATE_BUCKET ?? `${e.GOOGLE_BUCKET_NAME}-private`,
    publicStorageUrl: e.SORTINGVIEW_PUBLIC_STORAGE_URL ?? 'https://storage.googleapis.com',
    appOrigins: (e.SORTINGVIEW_APP_ORIGINS ?? '*').split(',').map((s) => s.trim()).filter(Boolean),
    diagnosticTasks: e.SORTINGVIEW_DIAGNOSTIC_TASKS === '1',
    errorRetryAfterMs: e.SORTINGVIEW_ERROR_RETRY_SEC ? Number(e.SORTINGVIEW_ERROR_RETRY_SEC) * 1000 : ERROR_RETRY_AFTER_MS,
  };
}
