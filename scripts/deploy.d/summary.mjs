// What scripts/deploy prints at the end: where things are, and the two commands to run next to the data.
import { shellQuote } from './gcloud.mjs';
import { backendUri, serviceAccountEmail } from './resources.mjs';
import { webAppUrl } from './hosting.mjs';

export const RELAY_KEY_FILE = 'sortingview-relay-key.json';

/** The command that creates the relay's key (printed, never run: the key is a secret that belongs on the lab server). */
export function relayKeyCommand(cfg) {
  return ['iam', 'service-accounts', 'keys', 'create', RELAY_KEY_FILE,
    `--iam-account=${serviceAccountEmail(cfg.project, 'relay', cfg.relayLabel)}`, `--project=${cfg.project}`];
}

export function startBackendLine(cfg, apiUrl, label) {
  const q = shellQuote;
  return `GOOGLE_CLOUD_PROJECT=${q(cfg.project)} GOOGLE_BUCKET_NAME=${q(cfg.bucket)} SORTINGVIEW_PRIVATE_BUCKET=${q(cfg.privateBucket)} `
    + `SORTINGVIEW_API_URL=${q(apiUrl)} GOOGLE_APPLICATION_CREDENTIALS="$PWD/${RELAY_KEY_FILE}" \\\n`
    + `  sortingview-start-backend --label ${q(label)} --app-url ${q(webAppUrl(cfg.hostingSite))} --data-dir /path/to/your/data`;
}

export function webOnlySummary(cfg) {
  return `${cfg.dryRun ? 'Dry run finished: nothing was changed.' : 'Published.'}\n  Web app:      ${webAppUrl(cfg.hostingSite)}`;
}

/** The sign-in lines: what config.json holds, and what a person still has to do (signIn.mjs notes). */
function signInLines(cfg, signIn, notes) {
  if (!signIn) {
    return [cfg.dryRun ? 'Sign-in: a real run reads the Firebase web app\'s config into config.json.'
      : 'Sign-in: config.json has no Firebase config, so curation is read-only (see docs/deploy.md, "Sign-in").'];
  }
  return [
    `Sign-in:      Google accounts through ${signIn.authDomain} (Firebase web app "sortingview" of ${cfg.project})`,
    ...notes.map((n) => `  ! ${n}`),
    '  The OAuth consent screen is set in the console only: docs/deploy.md, "Sign-in", says what and in which order.',
  ];
}

export function nextSteps(cfg, apiUrl, { signIn, notes = [] } = {}) {
  const url = apiUrl ?? '<API URL>';
  const label = cfg.relayLabel;
  const lines = [
    cfg.dryRun ? 'Dry run finished: nothing was changed.' : 'Deployed.',
    `  API URL:      ${url}${apiUrl ? '' : `  (a real run prints it; later: gcloud functions describe api --gen2 --region=${cfg.region} --format='value(serviceConfig.uri)')`}`,
    `  Web app:      ${webAppUrl(cfg.hostingSite)}${label ? `?backend=${encodeURIComponent(backendUri(cfg.bucket, label))}` : ''}`,
    `  Buckets:      gs://${cfg.bucket} (public)  gs://${cfg.privateBucket} (private)`,
    `  Backend URI:  ${backendUri(cfg.bucket, label ?? '<label>')}`,
    '',
    ...signInLines(cfg, signIn, notes),
    ...(apiUrl || cfg.dryRun ? [] : ['No API URL was found, so the web app\'s config.json names no API: curation is read-only until a run finds it.']),
    '',
  ];
  if (!label) {
    lines.push(
      'No relay label was given, so no relay is set up yet. For each lab server, choose a label and run',
      `  scripts/deploy --project ${cfg.project} --relay-label <label>`,
      'which creates its subscription and access and prints the command to start it.',
    );
    return lines.join('\n');
  }
  lines.push(
    `Next, on the lab server next to the data (relay "${label}", see docs/deploy.md):`,
    '  1. Create the relay\'s key there (a secret: whoever holds it can write this backend\'s chunks):',
    `       gcloud ${relayKeyCommand(cfg).map(shellQuote).join(' ')}`,
    `       chmod 600 ${RELAY_KEY_FILE}`,
    '     Where key files are forbidden, use your login impersonating the relay\'s account instead:',
    '     docs/deploy.md, "Credentials for the relay".',
    '  2. Start the relay (or install it as the systemd service of docs/deploy.md):',
    `       ${startBackendLine(cfg, url, label).replace('\n', '\n     ')}`,
    `     It prints: Backend URI: ${backendUri(cfg.bucket, label)}`,
  );
  return lines.join('\n');
}
