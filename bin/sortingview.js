#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The bundle targets Node 20; older versions fail in it with errors that say nothing useful.
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`sortingview needs Node 20 or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
// An installed package always has dist/cli (npm pack builds it); a clone has it after a build.
const built = fileURLToPath(new URL('../dist/cli/sortingview.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('sortingview is not built yet: in the sortingview repository run `npm ci` then `npm run build`, or install the package (see README.md, "Running the relay next to your data").\n');
  process.exit(1);
}
const { main } = await import(built);
process.exitCode = await main(process.argv, process.env);
