import { findGooglePubSubEmulator } from '../emulator/pubsub/google';
import { benchCcg } from './ccg';
import { benchFirstView } from './firstView';
import { benchGuiSelectAll } from './guiSelectAll';
import { benchGuiTraces } from './guiTraces';
import { benchRelayGather } from './relayGather';
import { benchRelayPeakRss } from './relayPeakRss';
import { benchRelayServe } from './relayServe';
import { benchRoundTrip } from './roundTrip';
import { benchScalingUnits } from './scalingUnits';

process.env.METADATA_SERVER_DETECTION ??= 'none'; // stay on loopback: no GCE metadata probes

/** `npm run bench [-- name …]`: the benchmarks (all by default); figures go to bench/results/<name>.json. */
const benches: Record<string, () => Promise<void>> = {
  'round-trip': async () => {
    await benchRoundTrip('ours');
    if (findGooglePubSubEmulator()) await benchRoundTrip('google');
  },
  'relay-serve': benchRelayServe,
  ccg: benchCcg,
  'gui-traces': benchGuiTraces,
  'first-view': benchFirstView,
  'relay-gather': benchRelayGather,
  'gui-select-all': benchGuiSelectAll,
  'scaling-units': benchScalingUnits,
  'relay-peak-rss': benchRelayPeakRss,
};
const wanted = process.argv.slice(2);
for (const name of wanted) if (!benches[name]) throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}`);
for (const [name, run] of Object.entries(benches)) if (!wanted.length || wanted.includes(name)) await run();
