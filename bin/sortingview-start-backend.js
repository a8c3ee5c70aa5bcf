#!/usr/bin/env node
// `sortingview-start-backend …` is `sortingview start-backend …`, the name the original sortingview used.
process.argv.splice(2, 0, 'start-backend');
await import('./sortingview.js');
