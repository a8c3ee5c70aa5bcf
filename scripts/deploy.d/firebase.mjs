// Runs firebase-tools (the `firebase` first on PATH, else this repository's devDependency in
// node_modules/.bin), traced as `+ firebase …`; with --dry-run it only prints. gcloud cannot add
// Firebase to a project, create its web app, create a Hosting site or upload a Hosting release.
//
// Credentials: without `firebase login`, firebase-tools falls back to Application Default Credentials
// (google-auth-library: GOOGLE_APPLICATION_CREDENTIALS, or the file `gcloud auth application-default
// login` writes), so a deploy needs no browser when GOOGLE_APPLICATION_CREDENTIALS names a key.
import { delimiter, join } from 'node:path';
import { createRunner, GcloudError } from './gcloud.mjs';

/** firebase-tools' ways of saying that a thing does not exist (e.g. hosting/api.js getSite). */
const NOT_FOUND = /could not find site|NOT_FOUND|404/i;

/** firebase-tools' `--json` answer ({status, result} or {status: "error", error}), or null when stdout is not JSON. */
export function jsonAnswer(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    return null;
  }
}

/** What to do about a failure, in the deployer's terms. */
function hintFor(output) {
  if (/Failed to authenticate|firebase login|credentials/i.test(output)) {
    return 'firebase-tools found no credentials: run `gcloud auth application-default login` once (or `npx firebase login`), or set GOOGLE_APPLICATION_CREDENTIALS to a key file';
  }
  if (/not a Firebase project|addFirebase|firebase\.projects\.get/i.test(output)) {
    return 'Add Firebase to the project first: Firebase console → Add project → choose this Google Cloud project (or `npx firebase projects:addfirebase <project>`)';
  }
  if (/already exists|ALREADY_EXISTS|409/i.test(output)) {
    return 'Hosting site ids are global, and this one belongs to another project: pass --hosting-site with another id';
  }
  return undefined;
}

/**
 * @param {{dryRun: boolean, out: (line: string) => void, errStream?: NodeJS.WritableStream,
 *          env?: NodeJS.ProcessEnv}} opts
 * @param {{root: string, cwd: string}} where the repository, and the directory of firebase.json
 */
export function createFirebase(opts, { root, cwd }) {
  const env = opts.env ?? process.env;
  const runner = createRunner('firebase', opts, {
    env: { PATH: [env.PATH, join(root, 'node_modules', '.bin')].filter(Boolean).join(delimiter) },
    cwd,
    missing: 'firebase-tools is not installed: run `npm ci` in the repository (it is a devDependency), or `npm install -g firebase-tools`',
    hint: hintFor,
  });
  return {
    ...runner,

    /**
     * A read with `--json`. firebase-tools then reports errors as {"status":"error","error":…} on
     * stdout, not on stderr. Returns the result, or null when it does not exist (and in a dry run).
     */
    async readResult(args) {
      runner.trace(args);
      if (opts.dryRun) return null;
      const r = await runner.exec(args, { forwardStderr: false });
      const body = jsonAnswer(r.stdout); // null when not JSON: judged by the exit code and stderr below
      if (r.code === 0 && body?.status !== 'error') return body?.result ?? body;
      const message = `${body?.error ?? r.stdout}\n${r.stderr}`.trim();
      if (NOT_FOUND.test(message)) return null;
      throw new GcloudError(args, r.code, message, hintFor(message), 'firebase');
    },
  };
}
