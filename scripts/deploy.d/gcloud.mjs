// Runs gcloud (whatever `gcloud` is first on PATH), or with --dry-run only prints what it would run.
// Every command is traced as `+ gcloud …`, quoted so that it can be pasted into a shell.
// firebase.mjs runs firebase-tools through the same runner.
import { spawn } from 'node:child_process';

export class GcloudError extends Error {
  name = 'GcloudError';
  constructor(args, code, stderr, hint, bin = 'gcloud') {
    const tail = stderr.trim().split('\n').slice(-12).join('\n');
    super(`${bin} ${args.map(shellQuote).join(' ')}\nfailed (exit ${code}):\n${tail}${hint ? `\n${hint}` : ''}`);
    this.stderr = stderr;
  }
}

export function shellQuote(arg) {
  return /^[A-Za-z0-9_\-./:=,@%+]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class GcloudMissingError extends Error {
  name = 'GcloudMissingError';
}

/** gcloud's ways of saying that a resource does not exist. */
const NOT_FOUND = /NOT_FOUND|not found|404|does not exist/i;

/**
 * @param {{dryRun: boolean, out: (line: string) => void, errStream?: NodeJS.WritableStream,
 *          env?: NodeJS.ProcessEnv, sleep?: (ms: number) => Promise<void>}} opts
 */
export function createGcloud(opts) {
  return createRunner('gcloud', opts, {
    env: { CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
    missing: 'gcloud is not installed or not on PATH: install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install), then `gcloud auth login`',
  });
}

/**
 * `bin` as a command-line program; `extra.env` is added to its environment, `extra.cwd` is its
 * working directory, `extra.missing` what to say when it is not installed, `extra.hint(output)` what
 * to add to a failed change.
 */
export function createRunner(bin, opts, extra) {
  const env = { ...(opts.env ?? process.env), ...extra.env };
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const trace = (args) => opts.out(`+ ${bin} ${args.map(shellQuote).join(' ')}`);

  function exec(args, { forwardStderr }) {
    return new Promise((resolve, reject) => {
      const child = spawn(bin, args, { env, cwd: extra.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => {
        stderr += d;
        if (forwardStderr && opts.errStream) opts.errStream.write(d);
      });
      child.on('error', (err) => reject(err.code === 'ENOENT' ? new GcloudMissingError(extra.missing) : err));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  return {
    dryRun: opts.dryRun,
    trace,
    exec,

    /**
     * A read-only call (describe, list, get-iam-policy). Returns its stdout, or null when gcloud says
     * the resource does not exist. In a dry run nothing exists, as in a new project.
     */
    async read(args) {
      trace(args);
      if (opts.dryRun) return null;
      const r = await exec(args, { forwardStderr: false });
      if (r.code === 0) return r.stdout;
      if (NOT_FOUND.test(r.stderr)) return null;
      const hint = /active account|auth login|credentials/i.test(r.stderr) ? 'Log in first: gcloud auth login'
        : /403|permission|does not have/i.test(r.stderr) ? 'Your account lacks permission here, or the name is taken by another project (bucket names are global: pass --bucket).'
        : undefined;
      throw new GcloudError(args, r.code, r.stderr, hint, bin);
    },

    async readJson(args) {
      const text = await this.read(args);
      return text === null ? null : JSON.parse(text || 'null');
    },

    /**
     * A call that changes something. `retryIf` retries (`attempts` in all, `delayMs` apart) failures
     * whose output matches, e.g. IAM not yet seeing a service account created a second ago.
     */
    async change(args, { retryIf, attempts = 6, delayMs = 10_000 } = {}) {
      trace(args);
      if (opts.dryRun) return '';
      for (let attempt = 1; ; attempt++) {
        const r = await exec(args, { forwardStderr: true });
        if (r.code === 0) return r.stdout;
        if (retryIf && retryIf.test(`${r.stderr}\n${r.stdout}`) && attempt < attempts) {
          opts.out(`  (not ready yet, retrying in ${Math.round(delayMs / 1000)} s: attempt ${attempt + 1} of ${attempts})`);
          await sleep(delayMs);
          continue;
        }
        // firebase-tools prints its errors on stdout.
        const output = r.stderr.trim() ? r.stderr : r.stdout;
        throw new GcloudError(args, r.code, output, extra.hint?.(output), bin);
      }
    },
  };
}

/** gcloud's access token for REST calls gcloud has no command for; not traced (it is a credential). */
export async function accessToken(g) {
  const args = ['auth', 'print-access-token'];
  const r = await g.exec(args, { forwardStderr: false });
  if (r.code !== 0 || !r.stdout.trim()) throw new GcloudError(args, r.code, r.stderr, 'Log in first: gcloud auth login');
  return r.stdout.trim();
}
