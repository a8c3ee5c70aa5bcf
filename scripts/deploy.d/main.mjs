// scripts/deploy: the only file that wires things together and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessToken, createGcloud, GcloudError, GcloudMissingError } from './gcloud.mjs';
import { createFirebase } from './firebase.mjs';
import { OptionsError, USAGE, parseOptions } from './options.mjs';
import { deploymentServiceAccounts, RELAY_TOPIC, TASKS_TOPIC } from './resources.mjs';
import { deployFunctions, enableApis, ensureBucket, ensureEventarcAgent, ensureRelaySubscription, ensureServiceAccount, ensureTopic, grantAll, deployWebApp, readApiUrl } from './steps.mjs';
import { createIdentityToolkit, IdentityToolkitError } from './identityToolkit.mjs';
import { configureAuthentication, ensureFirebaseWebApp, webSignInConfig } from './signIn.mjs';
import { nextSteps, webOnlySummary } from './summary.mjs';

class BuildError extends Error {
  name = 'BuildError';
}

function build(cfg, out) {
  out(cfg.skipBuild ? '# --skip-build: deploying dist/ as it is' : '+ node scripts/build.mjs');
  if (cfg.dryRun) return;
  if (!cfg.skipBuild) {
    const r = spawnSync(process.execPath, [join(cfg.root, 'scripts', 'build.mjs')], { cwd: cfg.root, stdio: 'inherit' });
    if (r.status !== 0) throw new BuildError('The build failed (see above): fix it, or deploy what dist/ holds with --skip-build');
  }
  for (const f of ['functions/api/package.json', 'functions/worker/package.json', 'web/index.html']) {
    if (!existsSync(join(cfg.root, 'dist', f))) throw new BuildError(`dist/${f} is missing: run \`npm run build\` first (or drop --skip-build)`);
  }
}

export async function deploy(cfg, g, fb, idt, out) {
  mkdirSync(cfg.workDir, { recursive: true });
  out(`# sortingview → project ${cfg.project}, region ${cfg.region}${cfg.dryRun ? ' (dry run: nothing is run)' : ''}`);
  for (const w of cfg.warnings) out(`# warning: ${w}`);
  if (cfg.webOnly) {
    // After `terraform apply`, which declares everything but cannot upload a Hosting release.
    out('# --web-only: the web app (Firebase Hosting), for the API already deployed');
    build(cfg, out);
    // terraform's web_deploy_command passes the web app's config; without it, it is read here.
    const signIn = webSignInConfig(cfg, cfg.firebaseApiKey ? null : await ensureFirebaseWebApp(fb, cfg));
    await deployWebApp(fb, cfg, await readApiUrl(g, cfg), signIn);
    out('');
    out(webOnlySummary(cfg));
    return;
  }
  out('# 1. APIs');
  await enableApis(g, cfg);
  out('# 2. Buckets');
  await ensureBucket(g, cfg, { name: cfg.bucket, isPublic: true });
  await ensureBucket(g, cfg, { name: cfg.privateBucket, isPublic: false });
  out('# 3. Pub/Sub');
  await ensureTopic(g, cfg, TASKS_TOPIC);
  await ensureTopic(g, cfg, RELAY_TOPIC);
  if (cfg.relayLabel) await ensureRelaySubscription(g, cfg);
  out('# 4. Service accounts and IAM');
  for (const key of Object.keys(deploymentServiceAccounts(cfg))) await ensureServiceAccount(g, cfg, key);
  await grantAll(g, cfg);
  out('# 5. Functions');
  build(cfg, out);
  await ensureEventarcAgent(g, cfg);
  const apiUrl = await deployFunctions(g, cfg);
  out('# 6. Sign-in (Firebase Authentication, Google accounts)');
  const signIn = webSignInConfig(cfg, await ensureFirebaseWebApp(fb, cfg));
  const notes = await configureAuthentication(idt, cfg);
  out('# 7. Web app (Firebase Hosting)');
  await deployWebApp(fb, cfg, apiUrl, signIn);
  out('');
  out(nextSteps(cfg, apiUrl, { signIn, notes }));
}

export async function main(argv, env) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const out = (line) => process.stdout.write(`${line}\n`);
  try {
    const cfg = parseOptions(argv, env, root);
    if (cfg.help) {
      out(USAGE);
      return 0;
    }
    const runOpts = { dryRun: cfg.dryRun, out, errStream: process.stderr, env };
    const g = createGcloud(runOpts);
    const fb = createFirebase(runOpts, { root: cfg.root, cwd: cfg.workDir });
    const idt = createIdentityToolkit(runOpts, { project: cfg.project, accessToken: () => accessToken(g) });
    await deploy(cfg, g, fb, idt, out);
    return 0;
  } catch (err) {
    if (err instanceof OptionsError) {
      process.stderr.write(`scripts/deploy: ${err.message}\n`);
      return 2;
    }
    if (err instanceof GcloudError || err instanceof GcloudMissingError || err instanceof BuildError || err instanceof IdentityToolkitError) {
      process.stderr.write(`\nscripts/deploy stopped: ${err.message}\nFix the cause and run it again: it picks up where it stopped.\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
