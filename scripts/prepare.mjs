// npm's `prepare` (npm ci / npm install in a clone, `npm pack`, and `npm install -g git+https://…`,
// where npm installs the devDependencies in a temporary clone first): build dist/. Under
// `--omit=dev` esbuild is absent and there is nothing to build with: say so instead of failing the
// install (bin/sortingview.js then tells how to get a working CLI).
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('esbuild');
} catch {
  console.error('sortingview: not building dist/ (esbuild, a devDependency, is not installed). The relay and CLI run from a packed install: npm pack, then npm install -g ./sortingview-<version>.tgz');
  process.exit(0);
}
await import('./build.mjs');
