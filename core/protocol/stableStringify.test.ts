import { describe, expect, it } from 'vitest';
import { stableStringify } from './stableStringify';
import { pathify, sha1Hex, taskHash } from './hash';

/** The 2021 implementation, verbatim in behaviour, used as the oracle. */
function JSONStringifyDeterministic2021(obj: unknown): string {
  const allKeys: string[] = [];
  JSON.stringify(obj, (key, value) => {
    allKeys.push(key);
    return value;
  });
  allKeys.sort();
  return JSON.stringify(obj, allKeys);
}

const vectors: [unknown, string][] = [
  [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
  [{ z: { y: [3, { d: 1, c: 2 }], x: null }, a: 'é' }, '{"a":"é","z":{"x":null,"y":[3,{"c":2,"d":1}]}}'],
  [{ n: [1e21, 0.1, -0, 1e-7, 5e-324, 123456789012345680000, NaN, Infinity] }, '{"n":[1e+21,0.1,0,1e-7,5e-324,123456789012345680000,null,null]}'],
  [{ '10': 'a', '9': 'b', B: 1, a: 2 }, '{"10":"a","9":"b","B":1,"a":2}'],
  [{ s: 'quote " backslash \\ newline \n tab \t ☃ 😀 \u2028' }, '{"s":"quote \\" backslash \\\\ newline \\n tab \\t ☃ 😀 \u2028"}'],
  [{ u: undefined, f: () => 1, k: [undefined] }, '{"k":[null]}'],
  [[], '[]'],
  [{}, '{}'],
  ['plain', '"plain"'],
];

describe('stableStringify', () => {
  it.each(vectors)('vector %#', (input, expected) => {
    expect(stableStringify(input)).toBe(expected);
    expect(JSONStringifyDeterministic2021(input)).toBe(expected);
  });

  it('matches the 2021 algorithm on random nested values', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const keys = ['a', 'b', 'B', '_', '10', '9', 'é', 'ä', 'kwargs', 'functionId', '', 'zz'];
    const gen = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.3) return [rand() * 1e6 - 5e5, Math.floor(rand() * 100), 'x', true, null, -0, 1e300][Math.floor(rand() * 7)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++) o[keys[Math.floor(rand() * keys.length)]] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 500; i++) {
      const v = gen(0);
      expect(stableStringify(v)).toBe(JSONStringifyDeterministic2021(v));
    }
  });

  it('honours toJSON like JSON.stringify', () => {
    expect(stableStringify({ d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
  });
});

describe('taskHash and pathify', () => {
  it('hashes {functionId, kwargs} with sorted keys (known sha1 vectors)', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    const json = '{"functionId":"sortingview.get_backend_info.1","kwargs":{}}';
    expect(stableStringify({ kwargs: {}, functionId: 'sortingview.get_backend_info.1' })).toBe(json);
    expect(taskHash('sortingview.get_backend_info.1', {})).toBe(sha1Hex(json));
    expect(taskHash('f.1', { b: 1, a: [1, { y: 2, x: 1 }] })).toBe(sha1Hex('{"functionId":"f.1","kwargs":{"a":[1,{"x":1,"y":2}],"b":1}}'));
  });

  it('pathifies', () => {
    expect(pathify('a9993e364706816aba3e25717850c26c9cd0d89d')).toBe('a9/99/3e/a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(() => pathify('../etc')).toThrow(/not a hex hash/);
  });
});
