// Sign-in (Firebase Authentication with Google accounts), as far as Google's APIs allow:
//  1. the project is a Firebase project (firebase-tools `projects:addfirebase`);
//  2. it has a web app "sortingview", whose config (API key, auth domain) goes into config.json;
//  3. Authentication is initialised (Identity Platform's `initializeAuth`);
//  4. the Google provider is enabled with the OAuth client passed in (--oauth-client-id);
//  5. the app's origins are among the authorized domains, and storage.googleapis.com is not.
// What only the console can do (the OAuth consent screen, creating the OAuth client) is in
// docs/deploy.md, "Sign-in". Each step reads first and changes only what differs.
import { jsonAnswer } from './firebase.mjs';
import { authDomainOf } from './hosting.mjs';
import { PUBLIC_STORAGE_URL } from './resources.mjs';

export const WEB_APP_NAME = 'sortingview';
/** Printed (and passed to apps:sdkconfig) in a dry run, where the app's id cannot be known. */
const DRY_RUN_APP_ID = '<web app id>';

/** Steps 1 and 2: the Firebase web config {apiKey, authDomain, projectId}, or null in a dry run. */
export async function ensureFirebaseWebApp(fb, cfg) {
  const p = `--project=${cfg.project}`;
  const projects = await fb.readResult(['projects:list', '--json']);
  if (!(projects ?? []).some((x) => x.projectId === cfg.project)) {
    await fb.change(['projects:addfirebase', cfg.project, '--non-interactive']);
  }
  const apps = await fb.readResult(['apps:list', 'WEB', p, '--json']);
  let app = (apps ?? []).find((a) => a.displayName === WEB_APP_NAME);
  if (!app) app = jsonAnswer(await fb.change(['apps:create', 'WEB', WEB_APP_NAME, p, '--non-interactive', '--json']))?.result ?? null;
  const sdk = await fb.readResult(['apps:sdkconfig', 'WEB', app?.appId ?? DRY_RUN_APP_ID, p, '--json']);
  return sdk?.sdkConfig ?? null;
}

/** config.json's "firebase": the flags override what the project's web app says. */
export function webSignInConfig(cfg, sdkConfig) {
  const apiKey = cfg.firebaseApiKey ?? sdkConfig?.apiKey;
  if (!apiKey) return undefined;
  return { apiKey, authDomain: cfg.firebaseAuthDomain ?? sdkConfig?.authDomain ?? `${cfg.project}.firebaseapp.com`, projectId: cfg.project };
}

/** What initializeAuth leaves in the authorized domains (and what a dry run assumes). */
export const initialAuthorizedDomains = (project) => ['localhost', `${project}.firebaseapp.com`, `${project}.web.app`];

/**
 * The domains sign-in must accept: the app's origins' hosts and the auth domain, plus whatever a
 * person added. Taken out: storage.googleapis.com, the origin every public bucket's pages share
 * (hosting.mjs), and localhost, which Firebase adds for development: the deployed app never runs
 * there (the local stack signs in on the Auth emulator), and any page a user opens on their own
 * machine could otherwise start this project's sign-in.
 */
export function wantedAuthorizedDomains(cfg, current) {
  const refused = new Set([new URL(PUBLIC_STORAGE_URL).hostname, 'localhost']);
  const want = new Set((current ?? []).filter((d) => !refused.has(d)));
  for (const origin of cfg.appOrigins) want.add(new URL(origin).hostname);
  want.add(authDomainOf(cfg));
  return [...want];
}

const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Steps 3 to 5 on the Identity Toolkit API. Returns notes for the summary (what a person still has
 * to do), never secrets.
 */
export async function configureAuthentication(idt, cfg) {
  const project = `projects/${cfg.project}`;
  const notes = [];
  let config = await idt.get(`admin/v2/${project}/config`);
  if (!config) {
    await idt.send('POST', `v2/${project}/identityPlatform:initializeAuth`, {});
    config = idt.dryRun ? { authorizedDomains: initialAuthorizedDomains(cfg.project) } : await idt.get(`admin/v2/${project}/config`);
  }
  const domains = wantedAuthorizedDomains(cfg, config?.authorizedDomains);
  if (!sameSet(domains, config?.authorizedDomains ?? [])) {
    await idt.send('PATCH', `admin/v2/${project}/config?updateMask=authorizedDomains`, { authorizedDomains: domains });
  }

  const google = `admin/v2/${project}/defaultSupportedIdpConfigs/google.com`;
  const current = await idt.get(google);
  if (cfg.oauthClient) {
    const want = { enabled: true, clientId: cfg.oauthClient.clientId, clientSecret: cfg.oauthClient.clientSecret };
    if (!current) {
      await idt.send('POST', `admin/v2/${project}/defaultSupportedIdpConfigs?idpId=google.com`, want);
    } else if (!current.enabled || current.clientId !== want.clientId || current.clientSecret !== want.clientSecret) {
      await idt.send('PATCH', `${google}?updateMask=enabled,clientId,clientSecret`, want);
    }
  } else if (!current?.enabled && !idt.dryRun) {
    notes.push('Google sign-in is not enabled yet: pass --oauth-client-id and --oauth-client-secret-file, or enable it in the'
      + ' Firebase console (Authentication → Sign-in method → Google). Until then "Sign in" fails with auth/operation-not-allowed.');
  }
  return notes;
}
