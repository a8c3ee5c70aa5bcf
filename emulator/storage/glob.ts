// objects.list `matchGlob` (https://cloud.google.com/storage/docs/json_api/v1/objects/list#list-objects-and-prefixes-using-glob):
//   *       any characters within one directory level (never `/`)
//   **      any characters across levels (including `/`); `**/` also matches no level at all
//   ?       one character other than `/`
//   [abc] [a-z] [!a-z]   one character from (or, with `!`, not from) the set
//   {a,b}   any of the comma-separated alternatives (which may hold wildcards, not nested braces)
//   \x      the character x itself
// Compiled to one anchored RegExp; a pattern that does not parse is the caller's 400.
import { invalid } from './errors';

const escapeRe = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

function fail(pattern: string, why: string): never {
  throw invalid(`Invalid matchGlob ${JSON.stringify(pattern)}: ${why}.`);
}

export function compileGlob(pattern: string): RegExp {
  let i = 0;
  let inBraces = false;
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) fail(pattern, 'it ends with a lone backslash');
      out += escapeRe(pattern[i + 1]!);
      i += 2;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        if (pattern[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 3;
        } else {
          out += '.*';
          i += 2;
        }
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (c === '?') {
      out += '[^/]';
      i += 1;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2); // a `]` right after `[` (or `[!`) is a member
      if (close < 0) fail(pattern, `the "[" at ${i} is never closed`);
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      if (body === '') fail(pattern, `the set at ${i} is empty`);
      // Ranges stay ranges; every other character is literal inside the set.
      const members = body.replace(/[\\^\]]/g, '\\$&');
      out += negate ? `[^/${members}]` : `(?!/)[${members}]`;
      i = close + 1;
    } else if (c === '{') {
      if (inBraces) fail(pattern, 'braces cannot be nested');
      inBraces = true;
      out += '(?:';
      i += 1;
    } else if (c === ',' && inBraces) {
      out += '|';
      i += 1;
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
      i += 1;
    } else {
      out += escapeRe(c);
      i += 1;
    }
  }
  if (inBraces) fail(pattern, 'a "{" is never closed');
  try {
    return new RegExp(`^${out}$`, 's');
  } catch (err) {
    return fail(pattern, (err as Error).message);
  }
}
