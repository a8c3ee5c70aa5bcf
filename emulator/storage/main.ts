// Standalone storage emulator: `npx tsx emulator/storage/main.ts --bucket sv:public --cors-origin '*'`.
// The entry point: parses argv, starts, prints the URLs, stops on SIGINT/SIGTERM.
import { GcsError } from './errors';
import { startStorageEmulator } from './index';
import { OptionsError, parseCliOptions, USAGE } from './options';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const cli = parseCliOptions(argv);
  if (cli.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startStorageEmulator({ ...cli.emulator, ...(cli.verbose ? { log: (line) => console.log(line) } : {}) });
  console.log(`Storage emulator (trusted, full access): ${emulator.url}`);
  console.log(`Storage emulator (public, anonymous):    ${emulator.publicUrl}`);
  for (const b of cli.emulator.buckets ?? []) console.log(`  bucket ${b.name}${b.public ? ' (public)' : ''}`);
  console.log(`Use: STORAGE_EMULATOR_HOST=${emulator.url}`);
  if (env.STORAGE_EMULATOR_HOST && env.STORAGE_EMULATOR_HOST !== emulator.url) {
    console.log(`(note: this shell has STORAGE_EMULATOR_HOST=${env.STORAGE_EMULATOR_HOST})`);
  }
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2), process.env).catch((err: unknown) => {
  // Bad flags and bad bucket names are the user's to fix: say what, without a stack trace.
  const userError = err instanceof OptionsError || err instanceof GcsError;
  console.error(userError ? `storage emulator: ${err.message}` : err);
  process.exit(userError ? 2 : 1);
});
