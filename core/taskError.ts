/**
 * A task's own failure (bad kwargs for the data at hand, a chunk that says the data is unusable, a
 * plan over the caps): the worker turns it into status `error` with this message, which the user reads,
 * so it says what to change. Thrown by tasks and by the data layer they read through (core/data), so it
 * lives beside both rather than in either.
 */
export class TaskError extends Error {
  override name = 'TaskError';
}
