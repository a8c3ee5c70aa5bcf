import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { SORTINGVIEW_VERSION } from '../core/version';
import { precalculate, type PrecalculateOptions } from './commands/precalculate';
import { startBackend, type StartBackendOptions } from './commands/startBackend';
import { asCliError, CliError } from './cliErrors';
import { taskCommand, type TaskCommandOptions } from './commands/task';
import { addCurationCommands } from './commands/curation';
import { addMetricsCommands } from './commands/metricsImport';
import { addPermissionsCommand } from './commands/permissions';
import { addWorkspaceCommands, type WorkspaceDeps } from './commands/workspace';
import { backendUriOf } from './commands/workspaceContext';
import { KacheryStore } from './data/kachery';
import { createOpenFile } from './data/openFile';
import { DataRoots } from './data/roots';
import { detectFormat, openSorting } from './formats';
import type { SortingObject } from '../core/protocol/dataObjects';
import { gcsBlobStore } from '../adapters/gcs/gcsBlobStore';
import { storageClient } from '../adapters/gcs/storageClient';
import { statusLine } from './progress';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** The `sortingview` command. Only this file wires things together and exits. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('sortingview').version(SORTINGVIEW_VERSION).description('sortingview: view, curate and share spike sorting results');
  program.exitOverride();
  const storage = () => storageClient(env.GOOGLE_CLOUD_PROJECT);

  program.command('task <functionId>')
    .description('run one task through the API and print its result as JSON')
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)')
    .option('--kwargs <json>', 'task arguments as a JSON object', '{}')
    .option('--raw', 'print ndarrays in their wire form instead of nested lists')
    .option('--timeout <seconds>', 'give up after this long')
    .action(async (functionId: string, opts: Omit<TaskCommandOptions, 'backend'> & { backend?: string }) => {
      const line = statusLine(functionId);
      try {
        await taskCommand(functionId, { ...opts, backend: backendUriOf(opts, env) }, { storage: storage(), stdout: (s) => process.stdout.write(`${s}\n`), progress: line.update });
      } finally {
        line.done();
      }
    });

  program.command('start-backend')
    .description('run the relay next to the data: announce the backend and serve chunk requests until Ctrl-C (opens no port)')
    .option('--label <name>', 'backend label (default $LABEL)')
    .option('--app-url <url>', 'the web app this backend is used from (default $SORTINGVIEW_APP_URL)')
    .option('--api-url <url>', 'the deployment\'s API URL (default $SORTINGVIEW_API_URL)')
    .option('--data-dir <dir>', 'a directory whose files may be served (repeatable); nothing outside is served', collect, [])
    .option('--kachery-storage-dir <dir>', 'kachery storage (default $KACHERY_STORAGE_DIR or ~/kachery-storage)')
    .action(async (opts: StartBackendOptions) => {
      const backend = await startBackend({ ...opts, appUrl: opts.appUrl ?? env.SORTINGVIEW_APP_URL }, env, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`Backend URI: ${backend.uri}\n`);
      await waitForSignal();
      process.stderr.write('Stopping the relay…\n');
      await backend.stop();
    });

  program.command('precalculate <workspaceUri>')
    .description('compute every task the sorting pages open with, so first visits read cached results')
    .option('--backend <uri>', 'Backend URI (default $SORTINGVIEW_BACKEND)')
    .option('--sorting <id>', 'only this sorting (repeatable)', collect, [])
    .option('--concurrency <n>', 'tasks in flight at once', '8')
    .option('--json', 'print the counts and failures as one JSON object on stdout (for scripts) instead of text')
    .action(async (workspaceUri: string, opts: PrecalculateOptions & { json?: boolean }) => {
      const s = await precalculate(workspaceUri, opts, { env, storage: storage(), stderr: process.stderr });
      if (opts.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else {
        process.stdout.write(`${s.tasks} tasks: ${s.cached} already cached, ${s.computed} computed, ${s.failed.length} failed\n`);
        for (const f of s.failed) process.stdout.write(`  ${f.functionId}: ${f.message}\n`);
      }
      if (s.failed.length) throw new CliError(`${s.failed.length} task(s) failed`);
    });

  const workspaceDeps: WorkspaceDeps = {
    env, cwd: process.cwd(), random: (n) => randomBytes(n), now: Date.now, detectFormat,
    precalculateSorting: (workspaceUri, sortingId, o) => precalculate(workspaceUri, { backend: o.backend, sorting: [sortingId] }, { env, storage: storage(), stderr: process.stderr }),
    openStores: (t) => {
      const gcs = storage();
      return { public: gcsBlobStore(gcs.bucket(t.bucket)), private: gcsBlobStore(gcs.bucket(t.privateBucket)) };
    },
    stdout: (s) => process.stdout.write(`${s}\n`), stderr: (s) => process.stderr.write(`${s}\n`),
  };
  addPermissionsCommand(addWorkspaceCommands(program, workspaceDeps), workspaceDeps);
  addMetricsCommands(program, workspaceDeps);
  addCurationCommands(program, {
    ...workspaceDeps,
    // The user's own files on the user's own machine: any absolute path the sorting object names.
    localUnitIds: async (sortingObject, kacheryDir) => {
      const open = createOpenFile({ store: new KacheryStore(kacheryDir), roots: await DataRoots.create(['/']) });
      return (await openSorting(sortingObject as SortingObject, open)).unitIds;
    },
  });

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (caught) {
    const code = (caught as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2; // commander printed the usage error already
    // Known failures (bad input, refused access, unreachable stack) become one line; anything else keeps its stack.
    const err = asCliError(caught, env);
    process.stderr.write(`Error: ${err instanceof CliError ? err.message : (err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
