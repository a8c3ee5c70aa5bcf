import { describe, expect, it } from 'vitest';
import { attributionOf, isAttributionOf } from './attribution';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);

describe('attributionOf', () => {
  it('publishes the local part and a per-workspace tag, never the address', () => {
    const who = attributionOf(A, 'Alex.Smith@Lab.Example.org');
    expect(who).toMatch(/^alex\.smith·[0-9a-f]{6}$/);
    expect(who).not.toContain('@');
    expect(who).not.toContain('lab.example');
  });

  it('is the same for one person in one workspace, whatever the case of the address', () => {
    expect(attributionOf(A, 'alex@lab.org')).toBe(attributionOf(A, ' ALEX@lab.org'));
  });

  it('tells two people of the same local part apart, and cannot be joined across workspaces', () => {
    expect(attributionOf(A, 'alex@lab.org')).not.toBe(attributionOf(A, 'alex@other.org'));
    expect(attributionOf(A, 'alex@lab.org')).not.toBe(attributionOf(B, 'alex@lab.org'));
  });

  it('is recognised by whoever knows the address (also in logs written before it, holding the address)', () => {
    expect(isAttributionOf(A, 'alex@lab.org', attributionOf(A, 'alex@lab.org'))).toBe(true);
    expect(isAttributionOf(A, 'alex@lab.org', 'Alex@lab.org')).toBe(true);
    expect(isAttributionOf(A, 'alex@lab.org', attributionOf(A, 'alex@other.org'))).toBe(false);
    expect(isAttributionOf(B, 'alex@lab.org', attributionOf(A, 'alex@lab.org'))).toBe(false);
  });
});
