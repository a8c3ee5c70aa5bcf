import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob';

const matches = (pattern: string, names: string[]): string[] => names.filter((n) => compileGlob(pattern).test(n));
const NAMES = ['a.txt', 'b.json', 'dir/a.txt', 'dir/sub/c.txt', 'dir/sub/d.bin', 'dir2/x.txt', 'q?.txt', 'log-1', 'log-2', 'log-a'];

describe('matchGlob', () => {
  it('* stays within one level, ** crosses levels, **/ may match no level', () => {
    expect(matches('*.txt', NAMES)).toEqual(['a.txt', 'q?.txt']);
    expect(matches('dir/*', NAMES)).toEqual(['dir/a.txt']);
    expect(matches('dir/**', NAMES)).toEqual(['dir/a.txt', 'dir/sub/c.txt', 'dir/sub/d.bin']);
    expect(matches('**/*.txt', NAMES)).toEqual(['a.txt', 'dir/a.txt', 'dir/sub/c.txt', 'dir2/x.txt', 'q?.txt']);
    expect(matches('dir/**/c.txt', NAMES)).toEqual(['dir/sub/c.txt']);
    expect(matches('dir**.txt', NAMES)).toEqual(['dir/a.txt', 'dir/sub/c.txt', 'dir2/x.txt']);
  });

  it('? is one character other than /; sets, ranges, negation; braces; escapes', () => {
    expect(matches('log-?', NAMES)).toEqual(['log-1', 'log-2', 'log-a']);
    expect(matches('dir?a.txt', NAMES)).toEqual([]);
    expect(matches('log-[0-9]', NAMES)).toEqual(['log-1', 'log-2']);
    expect(matches('log-[!0-9]', NAMES)).toEqual(['log-a']);
    expect(matches('log-[a1]', NAMES)).toEqual(['log-1', 'log-a']);
    expect(matches('dir[!x]a.txt', NAMES)).toEqual([]);
    expect(matches('{a,b}.*', NAMES)).toEqual(['a.txt', 'b.json']);
    expect(matches('dir/**.{txt,bin}', NAMES)).toEqual(['dir/a.txt', 'dir/sub/c.txt', 'dir/sub/d.bin']);
    expect(matches('q\\?.txt', NAMES)).toEqual(['q?.txt']);
    expect(matches('a.txt', ['a.txt', 'aXtxt'])).toEqual(['a.txt']); // "." is literal
  });

  it('refuses patterns that do not parse (400)', () => {
    for (const bad of ['log-[0-9', '{a,b', '{a,{b,c}}', 'x\\', 'log-[9-0]']) {
      expect(() => compileGlob(bad), bad).toThrow(/Invalid matchGlob/);
    }
  });
});
