import { z } from 'zod';

/**
 * Imported first by main.tsx, before any schema exists. zod probes whether `new Function` works
 * (to compile fast parsers) when its first object schema is made; under the app's
 * Content-Security-Policy (no 'unsafe-eval', scripts/deploy.d/hosting.mjs) the probe fails anyway,
 * but the browser reports it as a violation. Jitless, zod does not probe: same parsers, no report.
 */
z.config({ jitless: true });
