import { describe, expect, it } from 'vitest';
import { FaultSwitch, faultsFromEnv, parseFaults, seededRandom } from './faults.js';
import { backoffMs } from './subscriptionQueue.js';

describe('fault switch', () => {
  it('loses the same acks for the same seed', () => {
    const draw = (seed: number) => {
      const f = new FaultSwitch({ nackFraction: 0.5, seed });
      return Array.from({ length: 32 }, () => f.loseAck());
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    const lost = draw(3).filter(Boolean).length;
    expect(lost).toBeGreaterThan(4);
    expect(lost).toBeLessThan(28);
  });

  it('loses no ack without nackFraction, and every ack at 1', () => {
    expect(Array.from({ length: 10 }, () => new FaultSwitch({}).loseAck())).not.toContain(true);
    const all = new FaultSwitch({ nackFraction: 1 });
    expect(Array.from({ length: 10 }, () => all.loseAck())).not.toContain(false);
  });

  it('draws uniformly from [0, 1)', () => {
    const r = seededRandom(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('reads SORTINGVIEW_PUBSUB_FAULTS and says how to fix a bad value', () => {
    expect(faultsFromEnv({})).toEqual({});
    expect(faultsFromEnv({ SORTINGVIEW_PUBSUB_FAULTS: '{"duplicate":true,"delayMs":5}' })).toEqual({ duplicate: true, delayMs: 5 });
    expect(() => faultsFromEnv({ SORTINGVIEW_PUBSUB_FAULTS: '{dup' })).toThrow(/not valid JSON/);
    expect(() => faultsFromEnv({ SORTINGVIEW_PUBSUB_FAULTS: '{"nackFraction":2}' })).toThrow(/nackFraction.*Expected JSON like/);
    expect(() => parseFaults({ duplicated: true })).toThrow(/Invalid faults/);
  });
});

describe('retry backoff', () => {
  it('doubles from the minimum and stops at the maximum', () => {
    const b = { minMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, b))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
