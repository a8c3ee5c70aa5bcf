// First step of `npm start`, `npm test` and the other scripts that need the dependencies: on a
// fresh clone (or after package.json gained a dependency) install them, from package-lock.json,
// once. Dependency-free, because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
if (missing.length) {
  const args = existsSync(join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  console.error(`sortingview: installing the dependencies (npm ${args[0]}; missing: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);
  // Under `npm run`, npm_execpath is the npm that runs us; run by hand, the npm on PATH.
  const npm = process.env.npm_execpath;
  const r = npm && /\.c?js$/.test(npm)
    ? spawnSync(process.execPath, [npm, ...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`sortingview: npm ${args[0]} failed${r.error ? ` (${r.error.message})` : ''}; fix the error above and run it again`);
    process.exit(r.status ?? 1);
  }
}
