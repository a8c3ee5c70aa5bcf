// The web app's own origin: a Firebase Hosting site, `https://<site>.web.app`. Plain data (the
// site, config.json, firebase.json with its headers); steps.mjs writes and deploys it, and
// terraform/web.tf declares the same site. No I/O here.
//
// Why not the public bucket: `https://storage.googleapis.com/<bucket>/web/` has the origin
// https://storage.googleapis.com, which every public bucket in the world shares. A page in anyone's
// bucket would run with our origin and read what the app keeps there, the signed-in user's Firebase
// session (IndexedDB) included (issue 14, item 12).
import { PUBLIC_STORAGE_URL, backendUri } from './resources.mjs';

/** A Hosting site id is a DNS label (it becomes `<site>.web.app`). */
export const SITE_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const hostingOrigin = (site) => `https://${site}.web.app`;
/** The sign-in auth domain: --firebase-auth-domain, else the project's default (what its web app's config says). */
export const authDomainOf = (cfg) => cfg.firebaseAuthDomain ?? `${cfg.project}.firebaseapp.com`;
export const webAppUrl = (site) => `${hostingOrigin(site)}/`;

/** Where the generated firebase.json and the copy of dist/web it publishes go, under the work dir. */
export const HOSTING_PUBLIC_DIR = 'web';

/**
 * config.json beside the app (web/config.ts). `apiUrl` is the only place sign-in tokens go;
 * `signIn` is the Firebase web config {apiKey, authDomain, projectId} (signIn.mjs).
 */
export function webConfig(cfg, apiUrl, signIn) {
  return {
    storageUrl: PUBLIC_STORAGE_URL,
    ...(apiUrl ? { apiUrl } : {}),
    ...(cfg.relayLabel ? { defaultBackendUri: backendUri(cfg.bucket, cfg.relayLabel) } : {}),
    // Sign-in (Firebase Authentication, Google provider); absent: the app shows curation read-only.
    ...(signIn ? { firebase: signIn } : {}),
  };
}

/**
 * What the page may load and talk to. connect-src: config.json, the buckets, any deployment's API
 * (a backend of another deployment is viewable, so its Cloud Run URL too; tokens go only to ours,
 * web/auth/ownApi.ts) and Firebase Auth's endpoints. Sign-in with a popup loads Google's gapi script
 * and frames the auth domain. Inline styles stay allowed (index.html and React style attributes);
 * inline and foreign scripts do not.
 */
export function contentSecurityPolicy(cfg) {
  const authDomain = authDomainOf(cfg);
  return [
    "default-src 'self'",
    "script-src 'self' https://apis.google.com",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "worker-src 'self'",
    `connect-src 'self' ${PUBLIC_STORAGE_URL} https://*.a.run.app https://*.cloudfunctions.net https://identitytoolkit.googleapis.com https://securetoken.googleapis.com`,
    `frame-src https://${authDomain}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * firebase.json for `firebase deploy --only hosting --config <it>`: the site, the copy of dist/web
 * plus config.json beside it, and the headers. Everything, config.json included, is `no-cache`
 * (revalidated on each load: cheap 304s), because app.js and the rest have fixed names (no content
 * hash) and a redeploy that changes the API or the sign-in config must be seen at once; Hosting's
 * default would keep files for an hour.
 */
export function firebaseJson(cfg) {
  const all = [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(cfg) },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'no-referrer' },
    { key: 'Cache-Control', value: 'no-cache' },
  ];
  return {
    hosting: {
      site: cfg.hostingSite,
      public: HOSTING_PUBLIC_DIR,
      ignore: ['firebase.json', '**/.*'],
      headers: [{ source: '**', headers: all }],
    },
  };
}
