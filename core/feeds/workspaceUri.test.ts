import { describe, expect, it } from 'vitest';
import { FeedError } from './errors';
import { formatWorkspaceUri, newFeedId, newItemId, parseWorkspaceUri } from './workspaceUri';

const id = '0123456789abcdef'.repeat(4);
const counting = () => { let k = 0; return (n: number) => Uint8Array.from({ length: n }, () => k++ & 0xff); };

describe('feed and item ids', () => {
  it('makes 64-hex feed ids and R-/S- ids from injected randomness', () => {
    expect(newFeedId(counting())).toBe(Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(''));
    expect(newItemId('R', counting())).toBe('R-000102030405');
    expect(newItemId('S', () => new Uint8Array([255, 254, 253, 252, 251, 250]))).toBe('S-fffefdfcfbfa');
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => newFeedId(() => new Uint8Array(8))).toThrow(/not 32/);
  });
});

describe('workspace URIs', () => {
  it('parses workspace://<feedId> with an optional label', () => {
    expect(parseWorkspaceUri(`workspace://${id}`)).toEqual({ feedId: id });
    expect(parseWorkspaceUri(`workspace://${id}?label=my%20lab`)).toEqual({ feedId: id, label: 'my lab' });
    expect(parseWorkspaceUri(`  workspace://${id.toUpperCase()}/  `)).toEqual({ feedId: id });
    expect(parseWorkspaceUri(`workspace://${id}?other=1`)).toEqual({ feedId: id });
  });

  it('formats and round-trips', () => {
    expect(formatWorkspaceUri({ feedId: id })).toBe(`workspace://${id}`);
    const uri = formatWorkspaceUri({ feedId: id, label: 'a b&c=d/é' });
    expect(parseWorkspaceUri(uri)).toEqual({ feedId: id, label: 'a b&c=d/é' });
  });

  it.each([
    ['', /Not a workspace URI/],
    [id, /Not a workspace URI/],
    [`feed://${id}`, /Not a workspace URI/],
    [`workspace://${id.slice(0, 40)}`, /must be 64 hex digits \(got 40 characters\).*cut short/],
    [`workspace://${id.slice(0, 63)}z`, /not all hex/],
    [`workspace://${id}/myworkspace`, /early 2021 is not supported/],
  ])('refuses %j with a clear message', (uri, message) => {
    const err = (() => { try { parseWorkspaceUri(uri); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).code).toBe('bad-uri');
    expect((err as Error).message).toMatch(message);
  });
});
