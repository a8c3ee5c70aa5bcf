import { findGooglePubSubEmulator } from '../emulator/pubsub/google';
import { benchRelayServe } from './relayServe';
import { benchRoundTrip } from './roundTrip';

process.env.METADATA_SERVER_DETECTION ??= 'none'; // stay on loopback: no GCE metadata probes

/** `npm run bench`: every benchmark; figures go to bench/results/<name>.json. */
await benchRoundTrip('ours');
if (findGooglePubSubEmulator()) await benchRoundTrip('google');
await benchRelayServe();
