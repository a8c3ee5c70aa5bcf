import { describe, expect, it } from 'vitest';
import { jsonDepth, jsonTooDeep, MAX_JSON_DEPTH } from './jsonBounds';

const nested = (n: number): unknown => { let v: unknown = 1; for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v }; return v; };

describe('jsonDepth', () => {
  it('counts levels of objects and arrays, scalars being 0', () => {
    expect(jsonDepth(5)).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth([[], { a: [1] }])).toBe(3);
    expect(jsonDepth(nested(10))).toBe(10);
  });

  it('measures a million-deep value without overflowing the stack, stopping past the limit', () => {
    const t0 = performance.now();
    expect(jsonDepth(nested(1_000_000))).toBe(MAX_JSON_DEPTH + 1);
    expect(performance.now() - t0).toBeLessThan(1000);
    // JSON.parse accepts what the recursive walkers after it cannot.
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(JSON.parse(text))).toBe(MAX_JSON_DEPTH + 1);
  });

  it('says why a value is refused, in the caller\'s terms', () => {
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH), 'The request body')).toBeNull();
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH + 1), 'The request body')).toMatch(/^The request body nests more than 64 levels deep/);
  });
});
