// CLI: run our Pub/Sub emulator until SIGINT/SIGTERM.
//   tsx emulator/pubsub/main.ts [--host 127.0.0.1] [--port 8085]
// Faults for reliability experiments come from SORTINGVIEW_PUBSUB_FAULTS, e.g. '{"duplicate":true}'.
import { parseArgs } from 'node:util';
import { faultsFromEnv } from './faults.js';
import { startPubSubEmulator } from './index.js';

async function main(argv: string[], env: Record<string, string | undefined>): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '8085' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const faults = faultsFromEnv(env);
  const emulator = await startPubSubEmulator({ host: values.host, port, faults });
  console.log(`PUBSUB_EMULATOR_HOST=${emulator.host}`);
  if (Object.keys(faults).length) console.log(`faults: ${JSON.stringify(faults)}`);
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2), process.env).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
