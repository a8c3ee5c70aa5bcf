/** Remembers what exists for a short while, so a burst of task requests costs one bucket read. */
export const EXISTENCE_TTL_MS = 10_000;

/**
 * Wraps an existence check with a positive cache (absence is never cached: a backend or object may
 * appear any moment). `keyOf` maps the caller's arguments to the checked key.
 */
export function cachedExistenceCheck<A extends unknown[] = [string]>(
  check: (key: string) => Promise<boolean>,
  now: () => number,
  keyOf: (...args: A) => string = (...args) => String(args[0]),
) {
  const seen = new Map<string, number>();
  return async (...args: A): Promise<boolean> => {
    const key = keyOf(...args);
    const at = seen.get(key);
    if (at !== undefined && now() - at < EXISTENCE_TTL_MS) return true;
    const ok = await check(key);
    if (ok) seen.set(key, now());
    else seen.delete(key);
    if (seen.size > 10_000) seen.clear(); // bounded memory on a long-lived instance
    return ok;
  };
}
