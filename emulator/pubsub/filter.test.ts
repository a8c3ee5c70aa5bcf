import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from './filter.js';

const matches = (filter: string, attributes: Record<string, string>) => matchesFilter(parseFilter(filter), attributes);

describe('subscription filter', () => {
  it('matches everything when empty', () => {
    expect(matches('', {})).toBe(true);
    expect(matches('   ', { a: 'b' })).toBe(true);
  });

  it('compares values, with != true when the key is absent', () => {
    expect(matches('attributes.backend = "lab1"', { backend: 'lab1' })).toBe(true);
    expect(matches('attributes.backend = "lab1"', { backend: 'lab10' })).toBe(false);
    expect(matches('attributes.backend = "lab1"', {})).toBe(false);
    expect(matches('attributes.backend != "lab1"', { backend: 'lab2' })).toBe(true);
    expect(matches('attributes.backend != "lab1"', {})).toBe(true);
    expect(matches('attributes.backend != "lab1"', { backend: 'lab1' })).toBe(false);
  });

  it('tests presence, prefixes and negation', () => {
    expect(matches('attributes:urgent', { urgent: '' })).toBe(true);
    expect(matches('attributes:urgent', {})).toBe(false);
    expect(matches('NOT attributes:urgent', {})).toBe(true);
    expect(matches('-attributes:urgent', { urgent: 'x' })).toBe(false);
    expect(matches('hasPrefix(attributes.task, "fetch_")', { task: 'fetch_x' })).toBe(true);
    expect(matches('hasPrefix(attributes.task, "fetch_")', { task: 'xfetch_' })).toBe(false);
    expect(matches('hasPrefix(attributes.task, "")', {})).toBe(false);
  });

  it('combines with AND, OR and parentheses', () => {
    const f = '(attributes.b = "1" OR attributes.b = "2") AND NOT attributes:skip';
    expect(matches(f, { b: '2' })).toBe(true);
    expect(matches(f, { b: '2', skip: '' })).toBe(false);
    expect(matches(f, { b: '3' })).toBe(false);
    expect(matches('attributes:a OR attributes:b OR attributes:c', { c: '' })).toBe(true);
    expect(matches('attributes:a AND attributes:b AND attributes:c', { a: '', b: '' })).toBe(false);
  });

  it('accepts hyphenated bare keys, quoted keys and escapes', () => {
    expect(matches('attributes.ce-type = "x"', { 'ce-type': 'x' })).toBe(true);
    expect(matches('attributes."my key" = "a\\"b"', { 'my key': 'a"b' })).toBe(true);
    expect(matches('attributes:"dotted.key"', { 'dotted.key': '' })).toBe(true);
    expect(matches('attributes.k = "\\x41\\u00e9\\101"', { k: 'AéA' })).toBe(true);
  });

  it.each([
    ['attributes.backend = ', /string literal/],
    ['attributes.backend = lab1', /string literal/],
    ['data = "x"', /expected 'attributes'/],
    ['attributes:a and attributes:b', /unexpected 'and'/],
    ['attributes:a AND attributes:b OR attributes:c', /parentheses/],
    ['(attributes:a', /'\)'/],
    ['attributes:a)', /unexpected '\)'/],
    ['attributes.k = "unterminated', /unterminated/],
    ['attributes.k == "v"', /string literal/],
    ['hasPrefix(attributes.k)', /','/],
    ['attributes.k = "\\q"', /unknown escape/],
    [`attributes.k = "${'x'.repeat(256)}"`, /256 bytes/],
  ])('refuses %s', (filter, why) => {
    expect(() => parseFilter(filter)).toThrow(why);
    try {
      parseFilter(filter);
    } catch (err) {
      expect((err as { code: number }).code).toBe(3); // INVALID_ARGUMENT
    }
  });
});
