#!/usr/bin/env node
// `sortingview-start-backend …` is `sortingview start-backend …`, the name the original sortingview used.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/sortingview.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('sortingview is not built yet: run `npm run build` in the sortingview folder.\n');
  process.exit(1);
}
const { main } = await import(built);
process.exitCode = await main([process.argv[0], process.argv[1], 'start-backend', ...process.argv.slice(2)], process.env);
