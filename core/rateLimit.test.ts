import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimit';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate', () => {
    const r = new RateLimiter(2, 3);
    expect([0, 0, 0, 0].map(() => r.take('a', 0))).toEqual([true, true, true, false]);
    expect(r.retryAfterSec('a')).toBe(1);
    expect(r.take('a', 499)).toBe(false);
    expect(r.take('a', 500)).toBe(true); // one token per 500 ms
    expect(r.take('b', 500)).toBe(true); // keys are independent
  });
  it('refills up to the burst only', () => {
    const r = new RateLimiter(10, 2);
    r.take('a', 0);
    expect([r.take('a', 60_000), r.take('a', 60_000), r.take('a', 60_000)]).toEqual([true, true, false]);
  });
  it('keeps memory bounded', () => {
    const r = new RateLimiter(1, 1, 100);
    for (let i = 0; i < 1000; i++) r.take(`k${i}`, i * 10_000);
    expect((r as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });
});
