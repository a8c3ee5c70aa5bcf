// Flags and environment of scripts/deploy → one validated config. Errors say how to fix them.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DEFAULT_RUNTIME, FUNCTIONS, PUBLIC_STORAGE_URL, runtimeVerdict } from './resources.mjs';
import { SITE_RE, hostingOrigin } from './hosting.mjs';

export class OptionsError extends Error {
  name = 'OptionsError';
}

export const USAGE = `Usage: scripts/deploy [options]        (or: npm run deploy -- [options])

Deploys sortingview to a Google Cloud project with gcloud. Safe to run again: it creates only what is
missing and redeploys the functions.

  --project ID          Google Cloud project            (env GOOGLE_CLOUD_PROJECT or CLOUDSDK_CORE_PROJECT)
  --region REGION       functions and buckets           (env SORTINGVIEW_REGION; default us-central1)
  --bucket NAME         public bucket                   (env GOOGLE_BUCKET_NAME; default <project>-sortingview)
  --private-bucket NAME private bucket                  (env SORTINGVIEW_PRIVATE_BUCKET; default <bucket>-private)
  --hosting-site SITE   the Firebase Hosting site that serves the web app at https://SITE.web.app
                        (env SORTINGVIEW_HOSTING_SITE; default <project>, the project's default site)
  --app-origins LIST    extra web origins allowed to use the API and read the bucket, comma-separated
                        (env SORTINGVIEW_APP_ORIGINS; https://SITE.web.app, where the app is hosted, is always allowed)
  --relay-label LABEL   set up a relay for this backend label: its subscription and IAM (env LABEL)
  --oauth-client-id ID  the OAuth client (Google Auth Platform → Clients, type Web application) that
                        Google sign-in uses (env SORTINGVIEW_OAUTH_CLIENT_ID); its secret comes from
                        --oauth-client-secret-file FILE or env SORTINGVIEW_OAUTH_CLIENT_SECRET, never
                        from the command line. Not needed when Google sign-in is already enabled in the
                        Firebase console. See docs/deploy.md, "Sign-in".
  --oauth-client-secret-file FILE
  --firebase-api-key KEY      the Firebase web API key of the app's config (env FIREBASE_API_KEY).
                        Default: read from the project's Firebase web app "sortingview" (created if missing).
  --firebase-auth-domain DOMAIN  the auth domain of the app's config (env FIREBASE_AUTH_DOMAIN; default:
                        the web app's, <project>.firebaseapp.com); a custom domain must serve /__/auth/
  --runtime RUNTIME     Cloud Functions runtime          (env SORTINGVIEW_FUNCTIONS_RUNTIME; default ${DEFAULT_RUNTIME})
  --api-max-instances N     at most N instances of the API (default ${FUNCTIONS.api.maxInstances}; each takes ${FUNCTIONS.api.concurrency} requests at once)
  --worker-max-instances N  at most N instances of the worker (default ${FUNCTIONS.worker.maxInstances}; each runs one task)
  --work-dir DIR        where generated files go         (default .sortingview/deploy)
  --skip-build          deploy dist/ as it is, without running scripts/build.mjs first
  --web-only            only publish the web app to its Hosting site (after \`terraform apply\`, which cannot)
  --dry-run             print every gcloud command instead of running it (runs nothing)
  -h, --help            this text

See docs/deploy.md.`;

const PROJECT_RE = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
const LABEL_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/; // backendLabelSchema of core/protocol
const REGION_RE = /^[a-z]+-[a-z]+[0-9]+$/;
const ORIGIN_RE = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;

/**
 * @param {string[]} argv arguments after the script name
 * @param {Record<string, string | undefined>} env
 * @param {string} root the repository root
 * @param {string} [today] YYYY-MM-DD, for the runtimes' schedule
 */
export function parseOptions(argv, env, root, today = new Date().toISOString().slice(0, 10)) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        project: { type: 'string' },
        region: { type: 'string' },
        bucket: { type: 'string' },
        'private-bucket': { type: 'string' },
        'app-origins': { type: 'string' },
        'hosting-site': { type: 'string' },
        'relay-label': { type: 'string' },
        runtime: { type: 'string' },
        'oauth-client-id': { type: 'string' },
        'oauth-client-secret-file': { type: 'string' },
        'api-max-instances': { type: 'string' },
        'worker-max-instances': { type: 'string' },
        'firebase-api-key': { type: 'string' },
        'firebase-auth-domain': { type: 'string' },
        'work-dir': { type: 'string' },
        'skip-build': { type: 'boolean', default: false },
        'web-only': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new OptionsError(`${err.message}\n\n${USAGE}`);
  }
  if (values.help) return { help: true };

  const project = values.project ?? env.GOOGLE_CLOUD_PROJECT ?? env.CLOUDSDK_CORE_PROJECT;
  if (!project) throw new OptionsError('Which project? Pass --project ID (or set GOOGLE_CLOUD_PROJECT). `gcloud projects list` shows yours.');
  if (!PROJECT_RE.test(project)) throw new OptionsError(`--project ${JSON.stringify(project)} is not a project id (6-30 lowercase letters, digits, hyphens)`);

  const region = values.region ?? env.SORTINGVIEW_REGION ?? 'us-central1';
  if (!REGION_RE.test(region)) throw new OptionsError(`--region ${JSON.stringify(region)} is not a region name like us-central1 or europe-west1`);

  const bucket = values.bucket ?? env.GOOGLE_BUCKET_NAME ?? `${project}-sortingview`;
  const privateBucket = values['private-bucket'] ?? env.SORTINGVIEW_PRIVATE_BUCKET ?? `${bucket}-private`;
  for (const [flag, name] of [['--bucket', bucket], ['--private-bucket', privateBucket]]) {
    if (!BUCKET_RE.test(name) || name.includes('google')) {
      throw new OptionsError(`${flag} ${JSON.stringify(name)} is not a usable bucket name (3-63 lowercase letters, digits, "-", "_"; not containing "google")`);
    }
  }
  if (bucket === privateBucket) throw new OptionsError('The public and the private bucket must differ: the private one is never readable by all users');

  const extraOrigins = (values['app-origins'] ?? env.SORTINGVIEW_APP_ORIGINS ?? '').split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
  for (const origin of extraOrigins) {
    if (!ORIGIN_RE.test(origin)) throw new OptionsError(`App origin ${JSON.stringify(origin)} is not an origin: scheme://host[:port], no path (e.g. https://lab.example.org)`);
    if (origin === PUBLIC_STORAGE_URL) {
      throw new OptionsError(`App origin ${origin} is shared by every public bucket in the world: an app served there is open to any other bucket's pages. The app has its own origin (--hosting-site); see docs/deploy.md, "Web app hosting"`);
    }
  }
  const hostingSite = values['hosting-site'] ?? env.SORTINGVIEW_HOSTING_SITE ?? project;
  if (!SITE_RE.test(hostingSite)) {
    throw new OptionsError(`--hosting-site ${JSON.stringify(hostingSite)} is not a Hosting site id (lowercase letters, digits, "-"; it becomes ${hostingSite.toLowerCase()}.web.app)`);
  }
  // Never https://storage.googleapis.com: any public bucket's page has that origin (hosting.mjs).
  const appOrigins = [...new Set([hostingOrigin(hostingSite), ...extraOrigins])];

  const relayLabel = values['relay-label'] ?? env.LABEL ?? undefined;
  if (relayLabel !== undefined && !LABEL_RE.test(relayLabel)) {
    throw new OptionsError(`Relay label ${JSON.stringify(relayLabel)}: a backend label is 1-64 letters, digits, "_", "-", "." (not first)`);
  }

  const runtime = values.runtime ?? env.SORTINGVIEW_FUNCTIONS_RUNTIME ?? DEFAULT_RUNTIME;
  const verdict = runtimeVerdict(runtime, today);
  if (!verdict.ok) throw new OptionsError(verdict.reason);

  const maxInstances = {};
  for (const name of ['api', 'worker']) {
    const flag = `${name}-max-instances`;
    const text = values[flag] ?? String(FUNCTIONS[name].maxInstances);
    if (!/^[1-9][0-9]{0,3}$/.test(text)) throw new OptionsError(`--${flag} ${JSON.stringify(text)}: a whole number of instances, 1 to 9999`);
    maxInstances[name] = Number(text);
  }

  // Google sign-in's OAuth client. The secret never on the command line (shell history, `ps`).
  const oauthClientId = values['oauth-client-id'] ?? env.SORTINGVIEW_OAUTH_CLIENT_ID ?? undefined;
  if (oauthClientId !== undefined && !/^[0-9]+-[a-z0-9]+\.apps\.googleusercontent\.com$/.test(oauthClientId)) {
    throw new OptionsError(`--oauth-client-id ${JSON.stringify(oauthClientId)} is not an OAuth client id (it looks like 123456789012-abc….apps.googleusercontent.com: Google Auth Platform → Clients)`);
  }
  let oauthClientSecret = env.SORTINGVIEW_OAUTH_CLIENT_SECRET || undefined;
  if (values['oauth-client-secret-file']) {
    try {
      oauthClientSecret = readFileSync(values['oauth-client-secret-file'], 'utf8').trim();
    } catch (err) {
      throw new OptionsError(`--oauth-client-secret-file ${values['oauth-client-secret-file']}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
  }
  if (oauthClientId && !oauthClientSecret) {
    throw new OptionsError('--oauth-client-id needs its secret: put it in a file readable by you only and pass --oauth-client-secret-file FILE (or set SORTINGVIEW_OAUTH_CLIENT_SECRET)');
  }
  if (oauthClientSecret && !oauthClientId) throw new OptionsError('An OAuth client secret was given without --oauth-client-id');
  if (oauthClientSecret !== undefined && !/^[A-Za-z0-9_-]{10,100}$/.test(oauthClientSecret)) {
    throw new OptionsError('The OAuth client secret does not look like one (letters, digits, "-", "_"; copy it from Google Auth Platform → Clients → your client)');
  }
  const oauthClient = oauthClientId ? { clientId: oauthClientId, clientSecret: oauthClientSecret } : undefined;

  // Overrides of the Firebase web config that signIn.mjs reads from the project's web app.
  const firebaseApiKey = values['firebase-api-key'] ?? env.FIREBASE_API_KEY ?? undefined;
  if (firebaseApiKey !== undefined && !/^[A-Za-z0-9_-]{10,100}$/.test(firebaseApiKey)) {
    throw new OptionsError('--firebase-api-key does not look like a Firebase web API key (letters, digits, "-", "_"; copy it from the Firebase console, Project settings)');
  }
  const firebaseAuthDomain = values['firebase-auth-domain'] ?? env.FIREBASE_AUTH_DOMAIN ?? undefined;
  if (firebaseAuthDomain !== undefined && !/^[A-Za-z0-9.-]+$/.test(firebaseAuthDomain)) {
    throw new OptionsError(`--firebase-auth-domain ${JSON.stringify(firebaseAuthDomain)} is not a host name (e.g. ${project}.firebaseapp.com)`);
  }

  return {
    help: false,
    project, region, bucket, privateBucket, hostingSite, appOrigins, relayLabel, runtime, firebaseApiKey, firebaseAuthDomain, oauthClient, maxInstances,
    warnings: verdict.warning ? [verdict.warning] : [],
    root,
    workDir: values['work-dir'] ?? join(root, '.sortingview', 'deploy'),
    skipBuild: values['skip-build'],
    webOnly: values['web-only'],
    dryRun: values['dry-run'],
  };
}
