/**
 * Typed errors of the waveform kernels. They are thrown deep and turned into a task `error` status
 * once, at the worker's edge; the message says what the user can do about it.
 */

/** A unit (or merge group) with no spike whose snippet window lies inside the recording. */
export class EmptyUnitError extends Error {
  override name = 'EmptyUnitError';
  constructor(what: string) {
    super(`${what} has no spikes whose snippet window lies inside the recording, so there is nothing to ` +
      'average or project. Spikes within snippet_len of either end of the recording are excluded; ' +
      'choose a unit with spikes, or a shorter snippet_len.');
  }
}

/** The two units of a pair view share no channel, so they cannot be compared on common channels. */
export class NoCommonChannelsError extends Error {
  override name = 'NoCommonChannelsError';
  constructor(unitA: string, unitB: string) {
    super(`Units ${unitA} and ${unitB} do not have any channels in common (their channel neighbourhoods ` +
      'are disjoint), so they cannot be compared; pick two units that are close on the probe.');
  }
}
