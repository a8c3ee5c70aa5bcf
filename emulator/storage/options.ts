// Command-line options of the standalone emulator (main.ts), parsed without side effects so
// they can be tested. `--bucket name:public` marks a bucket readable by anonymous callers.
import { parseArgs } from 'node:util';
import type { StorageEmulatorOptions } from './index';

export class OptionsError extends Error {
  override name = 'OptionsError';
}

export const USAGE = `Usage: tsx emulator/storage/main.ts [options]
  --host ADDR            interface to listen on (default 127.0.0.1)
  --port N               trusted port: full access, for STORAGE_EMULATOR_HOST (default 0 = any)
  --public-port N        anonymous port: browsers, CORS (default 0 = any)
  --bucket NAME[:public] create a bucket at start; repeatable
  --cors-origin ORIGIN   allowed Origin on the public port ('*' for any); repeatable or comma-separated
  --project ID           project id (default sortingview-local)
  --max-object-bytes N   largest object accepted (default 512 MiB)
  --verbose              log one line per request
  --help                 show this help`;

export interface CliOptions {
  help: boolean;
  verbose: boolean;
  emulator: StorageEmulatorOptions;
}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new OptionsError(`${flag} must be a port number 0-65535, got "${value}".`);
  return n;
}

export function parseCliOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'public-port': { type: 'string' },
        bucket: { type: 'string', multiple: true },
        'cors-origin': { type: 'string', multiple: true },
        project: { type: 'string' },
        'max-object-bytes': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new OptionsError(`${(err as Error).message}\n${USAGE}`, { cause: err });
  }
  const v = parsed.values;
  const buckets = (v.bucket ?? []).map((spec) => {
    const m = /^([^:]+)(?::(public|private))?$/.exec(spec);
    if (!m) throw new OptionsError(`--bucket takes NAME or NAME:public, got "${spec}".`);
    return { name: m[1]!, public: m[2] === 'public' };
  });
  const corsOrigins = (v['cors-origin'] ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const maxRaw = v['max-object-bytes'];
  if (maxRaw !== undefined && !/^\d+$/.test(maxRaw)) throw new OptionsError(`--max-object-bytes must be a byte count, got "${maxRaw}".`);
  return {
    help: v.help === true,
    verbose: v.verbose === true,
    emulator: {
      host: v.host,
      port: port(v.port, '--port'),
      publicPort: port(v['public-port'], '--public-port'),
      buckets,
      corsOrigins,
      projectId: v.project ?? 'sortingview-local',
      ...(maxRaw !== undefined ? { maxObjectBytes: Number(maxRaw) } : {}),
    },
  };
}
