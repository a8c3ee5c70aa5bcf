import { describe, expect, it } from 'vitest';
import { describeBusy } from './TaskStatus';

describe('describeBusy', () => {
  it('counts a busy wait down, then gives the line back to the status once the retry went out', () => {
    const busy = { retryInSec: 4.2, atMs: 100 };
    expect(describeBusy(busy, 0)).toBe('server busy, retrying in 5 s');
    expect(describeBusy(busy, 3500)).toBe('server busy, retrying in 1 s');
    expect(describeBusy(busy, 4200)).toBeNull();
    expect(describeBusy(undefined, 0)).toBeNull();
  });
});
