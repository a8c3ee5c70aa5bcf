import type { Command } from 'commander';
import { asCliError } from '../cliErrors';

/**
 * How every workspace / curation command runs: expected failures become CliErrors (../cliErrors.ts;
 * the CLI prints them without a stack), and with `--json` the command's human-readable lines are held back and its
 * result is printed as one JSON document on stdout, for scripts (`subprocess.run([...,'--json'])` in
 * Python). Notes and warnings stay on stderr either way.
 */
export type CliRun = <A extends unknown[]>(f: (...a: A) => Promise<unknown>) => (...a: A) => Promise<void>;

export function cliRunner(deps: { stdout: (line: string) => void; env: NodeJS.ProcessEnv }): CliRun {
  return <A extends unknown[]>(f: (...a: A) => Promise<unknown>) => async (...a: A) => {
    // Commander calls actions with (...arguments, options, command).
    const opts = a.length >= 2 ? (a[a.length - 2] as { json?: unknown } | undefined) : undefined;
    const json = opts?.json === true;
    const print = deps.stdout;
    if (json) deps.stdout = () => {};
    let result: unknown;
    try {
      result = await f(...a);
    } catch (err) {
      throw asCliError(err, deps.env);
    } finally {
      deps.stdout = print;
    }
    if (json) print(JSON.stringify(result ?? {}, null, 2));
  };
}

/** The `--json` flag, worded the same on every command. */
export function withJson(c: Command): Command {
  return c.option('--json', 'print the result as one JSON object on stdout (for scripts) instead of text');
}
