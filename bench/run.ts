import { findGooglePubSubEmulator } from '../emulator/pubsub/google';
import { benchRoundTrip } from './roundTrip';

/** `npm run bench`: every benchmark; figures go to bench/results/<name>.json. */
await benchRoundTrip('ours');
if (findGooglePubSubEmulator()) await benchRoundTrip('google');
