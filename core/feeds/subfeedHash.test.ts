import { describe, expect, it } from 'vitest';
import { curationSubfeedHash, subfeedHash, workspaceSubfeedHash } from './subfeedHash';

describe('subfeedHash (kachery _subfeed_hash)', () => {
  it('hashes a string name as the sha1 of its UTF-8 bytes', () => {
    // reference/kachery.md §4
    expect(subfeedHash('main')).toBe('b28b7af69320201d1cf206ebf28373980add1451');
    expect(workspaceSubfeedHash()).toBe('b28b7af69320201d1cf206ebf28373980add1451');
    // python: hashlib.sha1('sortingCuration'.encode()).hexdigest()
    expect(subfeedHash('sortingCuration')).toBe('b0e681ea4c85f4d6eb6a03d67f99a5d74402a7c0');
  });

  it('takes ~<40 hex> as the hash itself', () => {
    expect(subfeedHash(`~${'ab'.repeat(20)}`)).toBe('ab'.repeat(20));
    expect(subfeedHash(`~${'AB'.repeat(20)}`)).toBe('ab'.repeat(20));
    // Not 40 hex digits: an ordinary name.
    expect(subfeedHash('~abc')).not.toBe('abc');
  });

  it('hashes an object name as the sha1 of its sorted compact JSON, as python json.dumps(sort_keys=True) does', () => {
    // python: sha1(json.dumps({'name':'sortingCuration','sortingId':'S-0123456789ab'}, sort_keys=True, separators=(',',':')))
    const expected = 'c21d39d9334afc76a1a9d0f702fce77399d63d83';
    expect(subfeedHash({ name: 'sortingCuration', sortingId: 'S-0123456789ab' })).toBe(expected);
    expect(subfeedHash({ sortingId: 'S-0123456789ab', name: 'sortingCuration' })).toBe(expected);
    expect(curationSubfeedHash('S-0123456789ab')).toBe(expected);
  });

  it('refuses names that are neither strings nor objects', () => {
    expect(() => subfeedHash(['main'] as unknown as Record<string, unknown>)).toThrow(TypeError);
    expect(() => subfeedHash(null as unknown as string)).toThrow(TypeError);
  });
});
