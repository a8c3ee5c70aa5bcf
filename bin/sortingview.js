#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/sortingview.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('sortingview is not built yet: run `npm run build` in the sortingview folder.\n');
  process.exit(1);
}
const { main } = await import(built);
process.exitCode = await main(process.argv, process.env);
