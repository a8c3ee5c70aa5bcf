// Builds every deployable with esbuild: one folder per Cloud Function (with its own package.json,
// as `gcloud functions deploy --source` wants), the CLI, the local stack and the web app.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = Date.now();
rmSync(dist, { recursive: true, force: true });

const node = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning' };
// Google's clients stay real dependencies of each function (installed by the Cloud Functions build);
// our code, zod and the hashing library are bundled in. The functions framework is a devDependency
// of the repository (the relay/CLI package does not need it), so versions come from either list.
const functionDeps = ['@google-cloud/functions-framework', '@google-cloud/storage', '@google-cloud/pubsub'];
const depVersion = (d) => pkg.dependencies?.[d] ?? pkg.devDependencies?.[d] ?? (() => { throw new Error(`package.json does not list ${d}`); })();

const functions = [{ name: 'api' }, { name: 'worker' }];
await Promise.all([
  ...functions.map(async ({ name }) => {
    const outdir = join(dist, 'functions', name);
    await build({ ...node, entryPoints: [join(root, `functions/${name}/index.ts`)], outfile: join(outdir, 'index.js'), external: functionDeps });
    writeFileSync(join(outdir, 'package.json'), JSON.stringify({
      name: `sortingview-${name}`,
      version: pkg.version,
      private: true,
      type: 'module',
      main: 'index.js',
      engines: { node: '>=20' },
      dependencies: Object.fromEntries(functionDeps.map((d) => [d, depVersion(d)])),
    }, null, 2));
  }),
  // The relay and CLI as the package installs them (package.json `files`): Google's clients stay
  // dependencies (`dependencies`); the rest (zod, commander, h5wasm's Node build, …) is bundled, so
  // an install pulls nothing else. CommonJS inside the ESM bundle needs a real `require`.
  build({
    ...node, entryPoints: [join(root, 'relay/cli.ts')], outfile: join(dist, 'cli/sortingview.js'), external: Object.keys(pkg.dependencies),
    banner: { js: "import { createRequire as __svCreateRequire } from 'node:module'; const require = __svCreateRequire(import.meta.url);" },
  }),
  build({ ...node, entryPoints: [join(root, 'emulator/main.ts')], outfile: join(dist, 'emulator/main.js'), packages: 'external' }),
  // The web app (React) and the traces view's drawing worker, which the app loads from beside app.js.
  ...[['web/main.tsx', 'web/app.js'], ['web/views/traces/worker.ts', 'web/traces-worker.js']].map(([entry, out]) => build({
    bundle: true, platform: 'browser', target: ['chrome110', 'firefox110', 'safari16'], format: 'esm', minify: true, sourcemap: true,
    jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' },
    entryPoints: [join(root, entry)], outfile: join(dist, out), logLevel: 'warning',
  })),
]);
mkdirSync(join(dist, 'web'), { recursive: true });
for (const f of ['index.html', 'app.css']) copyFileSync(join(root, 'web', f), join(dist, 'web', f));
console.error(`built dist/ in ${Date.now() - started} ms`);
