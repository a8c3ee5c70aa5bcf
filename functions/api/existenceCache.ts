/** Remembers backends that exist for a short while, so a burst of task requests costs one bucket read. */
export const BACKEND_CHECK_TTL_MS = 10_000;

export function cachedBackendCheck(check: (label: string) => Promise<boolean>, now: () => number) {
  const seen = new Map<string, number>();
  return async (label: string): Promise<boolean> => {
    const at = seen.get(label);
    if (at !== undefined && now() - at < BACKEND_CHECK_TTL_MS) return true;
    const ok = await check(label);
    if (ok) seen.set(label, now());
    else seen.delete(label);
    return ok;
  };
}
