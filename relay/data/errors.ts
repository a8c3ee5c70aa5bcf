/** A request for data the relay will not or cannot serve. Its message reaches the task's error. */
export class DataAccessError extends Error {
  override name = 'DataAccessError';
}
