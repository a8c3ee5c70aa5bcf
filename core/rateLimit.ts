/**
 * Token buckets per client key: `ratePerSec` sustained, `burst` at once. Pure (the clock is passed
 * in); the API keeps one per instance, so the effective limit scales with instances, which is the
 * point: it stops a runaway script, it is not a quota.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly ratePerSec: number, private readonly burst: number, private readonly maxKeys = 10_000) {}

  /** Takes a token for `key`; false when none is left (the caller answers 429). */
  take(key: string, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(nowMs);
      b = { tokens: this.burst, at: nowMs };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.ratePerSec);
    b.at = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSec(key: string): number {
    const b = this.buckets.get(key);
    return b ? Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSec)) : 0;
  }

  /** Drops buckets that have refilled: they behave exactly like absent ones. Bounds memory. */
  private evictFull(nowMs: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.ratePerSec >= this.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
