import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../core/protocol';
import { KacheryStore, parseSha1Uri } from './data/kachery';
import { pythonJsonDumps, safeBasename, storeBytes, storeJson } from './kacheryWrite';

describe('pythonJsonDumps (simplejson.dumps, separators=(",", ":"))', () => {
  it('matches python byte for byte', () => {
    // python3: json.dumps({...}, separators=(',',':')) with the same dict (ensure_ascii, insertion order)
    const value = { b: 1, a: [1.5, 0.1, 1e-5, 1.5e-7, -2.5e-10, 1e16, 1.2345e20, 123456789.125, 'é😀\x7f"\\\n\t\x01'], z: null, t: true };
    expect(pythonJsonDumps(value)).toBe('{"b":1,"a":[1.5,0.1,1e-05,1.5e-07,-2.5e-10,1e+16,1.2345e+20,123456789.125,"\\u00e9\\ud83d\\ude00\\u007f\\"\\\\\\n\\t\\u0001"],"z":null,"t":true}');
  });

  it('keeps insertion order and the quirks JavaScript cannot avoid', () => {
    expect(pythonJsonDumps({ recording_format: 'mda', data: { raw: '/x.mda', params: { samplerate: 30000 } } }))
      .toBe('{"recording_format":"mda","data":{"raw":"/x.mda","params":{"samplerate":30000}}}');
    // Integral numbers print as integers (python would print 30000.0 for a float); -0 as 0.
    // From 1e16 on, as python prints such a float: python3 -c "print(repr(1e17))" → 1e+17.
    expect(pythonJsonDumps([30000, -0, 2 ** 53, 1e17])).toBe('[30000,0,9007199254740992,1e+17]');
    // Integer-like keys come first in JavaScript objects.
    expect(pythonJsonDumps({ b: 0, 1: 1 })).toBe('{"1":1,"b":0}');
    // undefined members are left out, as JSON.stringify does.
    expect(pythonJsonDumps({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('refuses NaN and infinities (allow_nan=False)', () => {
    expect(() => pythonJsonDumps({ x: NaN })).toThrow(/not JSON compliant/);
    expect(() => pythonJsonDumps([Infinity])).toThrow(RangeError);
  });
});

describe('storeBytes / storeJson', () => {
  it('stores content at sha1/aa/bb/cc/<sha1>, mode 0644, readable by the relay reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kachery-write-'));
    const uri = await storeBytes(dir, new TextEncoder().encode('hello'), 'greeting.txt');
    const h = sha1Hex('hello');
    expect(uri).toBe(`sha1://${h}/greeting.txt`);
    const path = join(dir, 'sha1', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h);
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    // No temp files left behind; storing again is a no-op.
    expect(await storeBytes(dir, new TextEncoder().encode('hello'), 'again.txt')).toBe(`sha1://${h}/again.txt`);
    expect(readdirSync(join(dir, 'sha1', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6)))).toEqual([h]);
    const found = await new KacheryStore(dir).findFile(parseSha1Uri(uri).sha1);
    expect(found).toEqual({ path, size: 5 });
  });

  it('stores JSON as store_json does and returns its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kachery-write-'));
    const { uri, sha1, bytes } = await storeJson(dir, { sorting_format: 'mda', data: { firings: '/f.mda', samplerate: 30000 } }, 'S.json');
    const text = '{"sorting_format":"mda","data":{"firings":"/f.mda","samplerate":30000}}';
    expect(new TextDecoder().decode(bytes)).toBe(text);
    expect(sha1).toBe(sha1Hex(text));
    expect(uri).toBe(`sha1://${sha1}/S.json`);
  });

  it('refuses basenames that would break the URI; safeBasename makes them safe', async () => {
    await expect(storeBytes(tmpdir(), new Uint8Array(1), 'a/b')).rejects.toThrow(/bad basename/);
    expect(safeBasename('my rec/1?.json')).toBe('my_rec_1_.json');
    expect(safeBasename('..')).toBe('_');
    expect(safeBasename('')).toBe('file');
  });
});
