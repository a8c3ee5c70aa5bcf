import { describe, expect, it } from 'vitest';
import { listPage, parseListQuery, type ListQuery } from './listing';

const objects = ['a.txt', 'd/1', 'd/2', 'd/e/3', 'f/4', 'g.txt', 'z'].map((name) => ({ name }));
const query = (over: Partial<ListQuery> = {}): ListQuery => ({ prefix: '', maxResults: 1000, ...over });
const names = (p: { items: { name: string }[] }) => p.items.map((o) => o.name);

describe('listPage', () => {
  it('lists everything in order without a delimiter', () => {
    expect(names(listPage(objects, query()))).toEqual(objects.map((o) => o.name));
  });

  it('rolls names up to prefixes with a delimiter, once each', () => {
    const page = listPage(objects, query({ delimiter: '/' }));
    expect(names(page)).toEqual(['a.txt', 'g.txt', 'z']);
    expect(page.prefixes).toEqual(['d/', 'f/']);
    const inner = listPage(objects, query({ prefix: 'd/', delimiter: '/' }));
    expect(names(inner)).toEqual(['d/1', 'd/2']);
    expect(inner.prefixes).toEqual(['d/e/']);
  });

  it('pages by items+prefixes and resumes after a prefix without repeating it', () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = listPage(objects, query({ delimiter: '/', maxResults: 2, pageToken: token }));
      expect(page.items.length + page.prefixes.length).toBeLessThanOrEqual(2);
      seen.push(...names(page), ...page.prefixes);
      token = page.nextPageToken ? parseListQuery(new URLSearchParams({ pageToken: page.nextPageToken })).pageToken : undefined;
    } while (token);
    expect(seen.sort()).toEqual(['a.txt', 'd/', 'f/', 'g.txt', 'z']);
  });

  it('applies startOffset (inclusive) and endOffset (exclusive)', () => {
    expect(names(listPage(objects, query({ startOffset: 'd/2', endOffset: 'g.txt' })))).toEqual(['d/2', 'd/e/3', 'f/4']);
  });

  it('has no nextPageToken when the last page is exactly full', () => {
    expect(listPage(objects, query({ maxResults: objects.length })).nextPageToken).toBeUndefined();
  });

  it('rejects bad maxResults and caps it at 1000', () => {
    expect(() => parseListQuery(new URLSearchParams('maxResults=0'))).toThrow();
    expect(parseListQuery(new URLSearchParams('maxResults=5000')).maxResults).toBe(1000);
  });
});
