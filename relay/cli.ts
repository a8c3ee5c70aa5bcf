import { Storage } from '@google-cloud/storage';
import { Command } from 'commander';
import { SORTINGVIEW_VERSION } from '../core/version';
import { CliError, taskCommand, type TaskCommandOptions } from './commands/task';
import { statusLine } from './progress';

/** The `sortingview` command. Only this file wires things together and exits. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('sortingview').version(SORTINGVIEW_VERSION).description('sortingview: view, curate and share spike sorting results');
  program.exitOverride();
  const storage = () => new Storage({ projectId: env.GOOGLE_CLOUD_PROJECT });

  program.command('task <functionId>')
    .description('run one task through the API and print its result as JSON')
    .requiredOption('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json')
    .option('--kwargs <json>', 'task arguments as a JSON object', '{}')
    .option('--raw', 'print ndarrays in their wire form instead of nested lists')
    .option('--timeout <seconds>', 'give up after this long')
    .action(async (functionId: string, opts: TaskCommandOptions) => {
      const line = statusLine(functionId);
      try {
        await taskCommand(functionId, opts, { storage: storage(), stdout: (s) => process.stdout.write(`${s}\n`), progress: line.update });
      } finally {
        line.done();
      }
    });

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0;
    if (code?.startsWith('commander.')) return 2; // commander printed the usage error already
    process.stderr.write(`Error: ${err instanceof CliError ? err.message : (err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
