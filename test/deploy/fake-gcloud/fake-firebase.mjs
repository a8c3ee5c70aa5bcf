// A stand-in for firebase-tools' `firebase`, beside the stand-in gcloud (first on PATH in
// test/deploy). It appends its argv as one JSON line to $FAKE_FIREBASE_LOG and keeps the Hosting
// sites and releases in the same state file as the fake gcloud. Strict where firebase-tools is: an
// unknown option fails, a site must exist before a deploy, the public directory must lie inside the
// directory of firebase.json, and firebase.json must pass firebase-tools' own schema.
// Like firebase-tools, it prints its errors on stdout (as JSON with --json).
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const argv = process.argv.slice(2);
appendFileSync(process.env.FAKE_FIREBASE_LOG, `${JSON.stringify(argv)}\n`);

const statePath = process.env.FAKE_GCLOUD_STATE;
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
state.hostingSites ??= {};
state.hostingReleases ??= [];
state.firebaseProjects ??= [];
state.webApps ??= [];

const words = argv.filter((a) => !a.startsWith('--'));
const flags = {};
for (const a of argv.filter((x) => x.startsWith('--'))) {
  const i = a.indexOf('=');
  flags[i < 0 ? a.slice(2) : a.slice(2, i)] = i < 0 ? true : a.slice(i + 1);
}

function done(stdout = '') {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  if (stdout) process.stdout.write(`${stdout}\n`);
  process.exit(0);
}
function fail(message) {
  process.stdout.write(flags.json ? `${JSON.stringify({ status: 'error', error: message }, null, 2)}\n` : `\nError: ${message}\n`);
  process.exit(1);
}
function allow(...known) {
  for (const f of Object.keys(flags)) if (!known.includes(f)) fail(`unknown option '--${f}'`);
  if (typeof flags.project !== 'string') fail('No currently active project.');
}
// FAKE_FIREBASE_DENY: a command answered as firebase-tools answers without credentials.
if (process.env.FAKE_FIREBASE_DENY && words[0] === process.env.FAKE_FIREBASE_DENY) fail('Failed to authenticate, have you run firebase login?');

const listFiles = (dir) => readdirSync(dir).flatMap((n) => statSync(join(dir, n)).isDirectory() ? listFiles(join(dir, n)) : [join(dir, n)]);

switch (words[0]) {
  case 'projects:list': {
    for (const f of Object.keys(flags)) if (f !== 'json') fail(`unknown option '--${f}'`);
    done(JSON.stringify({ status: 'success', result: state.firebaseProjects.map((id) => ({ projectId: id, displayName: id, resources: {} })) }));
    break;
  }
  case 'projects:addfirebase': {
    for (const f of Object.keys(flags)) if (!['non-interactive', 'json'].includes(f)) fail(`unknown option '--${f}'`);
    if (!words[1]) fail('Project ID cannot be empty');
    if (state.firebaseProjects.includes(words[1])) fail(`Failed to add Firebase to Google Cloud Platform project. ALREADY_EXISTS: 409`);
    state.firebaseProjects.push(words[1]);
    done(`✔  Your Firebase project is ready!`);
    break;
  }
  case 'apps:list':
  case 'apps:create':
  case 'apps:sdkconfig': {
    allow('project', 'json', 'non-interactive');
    if (!state.firebaseProjects.includes(flags.project)) fail(`Failed to list Firebase apps: ${flags.project} is not a Firebase project (404)`);
    if (words[1] !== 'WEB') fail(`unexpected platform ${words[1]}`);
    const apps = state.webApps.filter((a) => a.project === flags.project);
    if (words[0] === 'apps:list') done(JSON.stringify({ status: 'success', result: apps.map((a) => ({ appId: a.appId, displayName: a.displayName, platform: 'WEB' })) }));
    if (words[0] === 'apps:create') {
      if (!flags['non-interactive'] || !words[2]) fail('apps:create needs a display name and --non-interactive here');
      const app = { project: flags.project, appId: `1:123456789012:web:${(apps.length + 1).toString(16).padStart(22, '0')}`, displayName: words[2] };
      state.webApps.push(app);
      done(JSON.stringify({ status: 'success', result: { appId: app.appId, displayName: app.displayName, platform: 'WEB' } }));
    }
    const app = apps.find((a) => a.appId === words[2]) ?? fail(`Failed to get app config: app ${words[2]} not found (404)`);
    const sdkConfig = { projectId: flags.project, appId: app.appId, apiKey: 'AIzaSyFakeWebAppKey_0123456789', authDomain: `${flags.project}.firebaseapp.com`, storageBucket: `${flags.project}.appspot.com`, messagingSenderId: '123456789012' };
    done(JSON.stringify({ status: 'success', result: { fileName: 'firebase-js-config.json', fileContents: JSON.stringify(sdkConfig), sdkConfig } }));
    break;
  }
  case 'hosting:sites:get': {
    allow('project', 'json');
    const site = state.hostingSites[words[1]];
    if (!site || site.project !== flags.project) fail(`could not find site "${words[1]}" for project "${flags.project}"`);
    done(JSON.stringify({ status: 'success', result: { name: `projects/${flags.project}/sites/${words[1]}`, defaultUrl: `https://${words[1]}.web.app` } }));
    break;
  }
  case 'hosting:sites:create': {
    allow('project', 'non-interactive', 'json');
    if (!flags['non-interactive'] && !flags.json) fail('would prompt for a site id');
    if (!state.firebaseProjects.includes(flags.project)) fail(`Failed to create site: ${flags.project} is not a Firebase project (404)`);
    if (state.hostingSites[words[1]]) fail(`HTTP Error: 409, Site ${words[1]} already exists.`);
    state.hostingSites[words[1]] = { project: flags.project };
    done(`✔  hosting:sites: Site ${words[1]} has been created in project ${flags.project}.`);
    break;
  }
  case 'deploy': {
    allow('project', 'only', 'config', 'non-interactive', 'message', 'json');
    if (flags.only !== 'hosting') fail(`expected --only=hosting, got ${flags.only}`);
    const configPath = resolve(process.cwd(), flags.config ?? 'firebase.json');
    if (!existsSync(configPath)) fail(`Could not load config file ${flags.config}.`);
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    const require = createRequire(import.meta.url);
    const validate = require('firebase-tools/lib/firebaseConfigValidate.js').getValidator();
    if (!validate(config)) fail(`firebase.json is invalid: ${JSON.stringify(validate.errors)}`);
    const h = config.hosting;
    const site = state.hostingSites[h.site];
    if (!site || site.project !== flags.project) fail(`Hosting site or target ${h.site} not detected in firebase.json`);
    const projectDir = dirname(configPath);
    const pub = resolve(projectDir, h.public);
    if (relative(projectDir, pub).startsWith('..')) fail(`public directory ${h.public} is outside the project directory`);
    if (!existsSync(join(pub, 'index.html'))) fail(`Directory '${h.public}' for Hosting does not exist or has no index.html.`);
    const files = listFiles(pub).map((f) => relative(pub, f)).sort();
    state.hostingReleases.push({
      site: h.site, project: flags.project, message: flags.message ?? null, files, headers: h.headers,
      configJson: existsSync(join(pub, 'config.json')) ? JSON.parse(readFileSync(join(pub, 'config.json'), 'utf8')) : null,
    });
    done(`✔  Deploy complete!\n\nHosting URL: https://${h.site}.web.app`);
    break;
  }
  default:
    fail(`fake firebase does not know: ${argv.join(' ')}`);
}
