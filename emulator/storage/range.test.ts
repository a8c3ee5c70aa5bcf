import { describe, expect, it } from 'vitest';
import { parseRange } from './range';

describe('parseRange', () => {
  it('handles a-b, a-, and suffix ranges (inclusive ends, clamped)', () => {
    expect(parseRange('bytes=0-4', 10)).toEqual({ kind: 'partial', start: 0, end: 4 });
    expect(parseRange('bytes=3-', 10)).toEqual({ kind: 'partial', start: 3, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ kind: 'partial', start: 7, end: 9 });
    expect(parseRange('bytes=-30', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
  });

  it('is unsatisfiable past the end, for an empty suffix and on empty objects', () => {
    expect(parseRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores absent, malformed, reversed and multi-ranges (full body, per RFC 9110)', () => {
    for (const h of [undefined, '', 'items=0-1', 'bytes=5-2', 'bytes=0-1,3-4', 'bytes=-']) {
      expect(parseRange(h, 10)).toEqual({ kind: 'full' });
    }
  });
});
