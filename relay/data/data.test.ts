import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathify, sha1Hex } from '../../core/protocol';
import { KacheryStore, parseSha1Uri } from './kachery';
import { createOpenFile, MAX_READ_BYTES, readSmallFile, type OpenFile } from './openFile';
import { pathRedactor } from './errors';
import { DataRoots } from './roots';

let base: string;
let dataDir: string;
let storeDir: string;
let openFile: OpenFile;

function storeBytes(bytes: Uint8Array): string {
  const h = sha1Hex(bytes);
  const p = join(storeDir, 'sha1', pathify(h));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, bytes);
  return h;
}
function writeLink(h: string, target: string, override: Partial<{ size: number; mtime: number }> = {}) {
  const st = override.size !== undefined ? { size: 0, mtimeMs: 0 } : statSync(target);
  const p = join(storeDir, 'sha1', pathify(h));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(`${p}.link`, JSON.stringify({ path: target, manifestSha1: null, stat: { size: st.size, mtime: st.mtimeMs / 1000, ...override }, _writingProcess: 'daemon' }));
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'sv-data-'));
  dataDir = join(base, 'data');
  storeDir = join(base, 'kachery-storage');
  mkdirSync(join(dataDir, 'sub'), { recursive: true });
  mkdirSync(join(base, 'secret'), { recursive: true });
  writeFileSync(join(dataDir, 'sub', 'a.bin'), Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  writeFileSync(join(base, 'secret', 'key.json'), '{"secret":true}');
  symlinkSync(join(base, 'secret', 'key.json'), join(dataDir, 'escape.json'));
  symlinkSync(join(dataDir, 'sub', 'a.bin'), join(dataDir, 'inside-link.bin'));
  openFile = createOpenFile({ store: new KacheryStore(storeDir), roots: await DataRoots.create([dataDir]) });
});

describe('plain files under --data-dir', () => {
  it('serves byte ranges of files inside the roots, through symlinks that stay inside', async () => {
    const f = await openFile(join(dataDir, 'sub', 'a.bin'));
    expect(f.size).toBe(10);
    expect(Array.from(await f.read(3, 4))).toEqual([3, 4, 5, 6]);
    await f.close();
    const g = await openFile(join(dataDir, 'inside-link.bin'));
    expect(Array.from(await g.read(9, 1))).toEqual([9]);
    await g.close();
  });

  it.each([
    ['.. traversal', () => join(dataDir, 'sub', '..', '..', 'secret', 'key.json'), /outside the relay's data directories/],
    ['an absolute path outside', () => join(base, 'secret', 'key.json'), /outside the relay's data directories/],
    ['a symlink escaping the root', () => join(dataDir, 'escape.json'), /"escape.json": it resolves \(through a symlink or ".."\) to a file outside/],
    ['a relative path', () => 'sub/a.bin', /only absolute paths/],
    ['/etc/passwd', () => '/etc/passwd', /outside/],
    ['a missing file', () => join(dataDir, 'nope.bin'), /No such file/],
    ['another scheme', () => 'file:///etc/passwd', /Unsupported URI scheme/],
  ])('refuses %s with a message that says why, naming no path of this machine', async (_name, path, message) => {
    const err = await openFile(path()).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain(base);
  });

  it('names files relative to their root in messages', async () => {
    const roots = await DataRoots.create([dataDir]);
    expect(roots.describe(join(dataDir, 'sub', 'a.bin'))).toBe('<data-dir>/sub/a.bin');
    expect(roots.describe(dataDir)).toBe('<data-dir>');
    expect(roots.describe(join(base, 'secret', 'key.json'))).toBe('"key.json" (outside the relay\'s data directories)');
    const f = await openFile(join(dataDir, 'sub', 'a.bin'));
    await expect(f.read(8, 5)).rejects.toThrow('Byte range [8, 13) is outside <data-dir>/sub/a.bin (10 bytes)');
    await f.close();
  });

  it('refuses bad ranges: negative, past the end, huge, fractional', async () => {
    const f = await openFile(join(dataDir, 'sub', 'a.bin'));
    await expect(f.read(-1, 2)).rejects.toThrow(/Bad byte range/);
    await expect(f.read(8, 5)).rejects.toThrow(/outside/);
    await expect(f.read(0, MAX_READ_BYTES + 1)).rejects.toThrow(/limit/);
    await expect(f.read(0.5, 1)).rejects.toThrow(/Bad byte range/);
    expect(Array.from(await f.read(0, 1))).toEqual([0]); // still serving
    await f.close();
  });

  it('serves no plain files at all without --data-dir', async () => {
    const none = createOpenFile({ store: null, roots: await DataRoots.create([]) });
    await expect(none(join(dataDir, 'sub', 'a.bin'))).rejects.toThrow(/serves no plain files/);
    await expect(none('sha1://' + 'a'.repeat(40))).rejects.toThrow(/no kachery storage directory/);
  });
});

describe('kachery store', () => {
  it('parses sha1 URIs as kachery does (label, .ext on the hash, manifest)', () => {
    const h = 'a9993e364706816aba3e25717850c26c9cd0d89d';
    expect(parseSha1Uri(`sha1://${h}/SF/rec/raw.mda?manifest=${h}`)).toEqual({ sha1: h, label: 'SF/rec/raw.mda', manifestSha1: h });
    expect(parseSha1Uri(`sha1://${h}.json`).sha1).toBe(h);
    for (const bad of ['sha1://xyz', 'sha1://', `sha1://${h}?manifest=nothex`]) expect(() => parseSha1Uri(bad)).toThrow();
  });

  it('serves stored files and verifies the hash of small objects', async () => {
    const bytes = new TextEncoder().encode('{"recording_format":"mda"}');
    const h = storeBytes(bytes);
    expect(new TextDecoder().decode(await readSmallFile(openFile, `sha1://${h}/rec.json`, 1e6))).toBe('{"recording_format":"mda"}');
    // Corrupt the stored copy: the hash no longer matches and it is refused.
    writeFileSync(join(storeDir, 'sha1', pathify(h)), '{"recording_format":"evil"}');
    await expect(readSmallFile(openFile, `sha1://${h}/rec.json`, 1e6)).rejects.toThrow(/do not hash/);
    await expect(readSmallFile(openFile, `sha1://${sha1Hex('absent')}`, 1e6)).rejects.toThrow(/not in the kachery store of this relay/);
  });

  it('caps whole-file reads', async () => {
    const h = storeBytes(new Uint8Array(1000));
    await expect(readSmallFile(openFile, `sha1://${h}`, 100)).rejects.toThrow(/capped at 100/);
  });

  it('follows .link records only while size and mtime still match', async () => {
    const target = join(base, 'linked.bin');
    writeFileSync(target, Buffer.from('linked content'));
    const h = sha1Hex(Buffer.from('linked content'));
    writeLink(h, target);
    expect(new TextDecoder().decode(await readSmallFile(openFile, `sha1://${h}`, 1e6))).toBe('linked content');
    utimesSync(target, new Date(), new Date(Date.now() + 5000));
    await expect(openFile(`sha1://${h}`)).rejects.toThrow(/has changed since it was linked/);
    writeLink(h, join(base, 'gone.bin'), { size: 1, mtime: 1 });
    await expect(openFile(`sha1://${h}`)).rejects.toThrow(/no longer exists/);
  });

  it('in the relay, a .link record may lead only into the data roots; messages name no path', async () => {
    const relayOpen = createOpenFile({ store: new KacheryStore(storeDir, { linkRoots: await DataRoots.create([dataDir]) }), roots: await DataRoots.create([dataDir]) });
    const secret = new TextEncoder().encode('{"secret":true}');
    writeLink(sha1Hex(secret), join(base, 'secret', 'key.json'));
    const err = await relayOpen(`sha1://${sha1Hex(secret)}/m.json`).then(() => null, (e: Error) => e);
    expect(err?.message).toBe(`Refused the kachery link for sha1://${sha1Hex(secret)}: its target is outside the relay's data directories (--data-dir)`);
    // Also through a symlink inside the root that leads out.
    writeLink(sha1Hex(secret), join(dataDir, 'escape.json'));
    await expect(relayOpen(`sha1://${sha1Hex(secret)}/m.json`)).rejects.toThrow(/Refused the kachery link/);
    // A link into the root is followed, as kachery's client did.
    const inside = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    writeLink(sha1Hex(inside), join(dataDir, 'sub', 'a.bin'));
    expect(Array.from(await readSmallFile(relayOpen, `sha1://${sha1Hex(inside)}/a.bin`, 100))).toEqual(Array.from(inside));
    writeLink(sha1Hex('gone'), join(dataDir, 'gone.bin'), { size: 1, mtime: 1 });
    await expect(relayOpen(`sha1://${sha1Hex('gone')}`)).rejects.toThrow(`The kachery link for ${sha1Hex('gone')} points to <data-dir>/gone.bin, which no longer exists`);
    const absent = await relayOpen(`sha1://${sha1Hex('absent')}`).then(() => null, (e: Error) => e);
    expect(absent?.message).toBe(`sha1://${sha1Hex('absent')} is not in the kachery store of this relay`);
  });

  it('serves byte ranges across manifest chunks, and refuses manifests that lie', async () => {
    const whole = new Uint8Array(250).map((_, i) => i);
    const chunks = [whole.subarray(0, 100), whole.subarray(100, 200), whole.subarray(200)];
    const manifest = { size: 250, sha1: sha1Hex(whole), chunks: chunks.map((c, i) => ({ start: i * 100, end: i * 100 + c.length, sha1: storeBytes(c) })) };
    const m = storeBytes(new TextEncoder().encode(JSON.stringify(manifest)));
    const f = await openFile(`sha1://${manifest.sha1}/big.bin?manifest=${m}`);
    expect(f.size).toBe(250);
    expect(Array.from(await f.read(95, 110))).toEqual(Array.from(whole.subarray(95, 205)));
    await f.close();

    const lie = (changes: object) => storeBytes(new TextEncoder().encode(JSON.stringify({ ...manifest, ...changes })));
    await expect(openFile(`sha1://${manifest.sha1}?manifest=${lie({ sha1: sha1Hex('other') })}`)).rejects.toThrow(/describes/);
    await expect(openFile(`sha1://${manifest.sha1}?manifest=${lie({ size: 300 })}`)).rejects.toThrow(/not its size/);
    await expect(openFile(`sha1://${manifest.sha1}?manifest=${lie({ chunks: [manifest.chunks[0], manifest.chunks[2]] })}`)).rejects.toThrow(/gaps or overlaps/);
    await expect(openFile(`sha1://${manifest.sha1}?manifest=${lie({ chunks: [{ ...manifest.chunks[0], end: 120 }, { ...manifest.chunks[1], start: 120 }, manifest.chunks[2]] })}`)).rejects.toThrow(/has 100 bytes; the manifest says 120/);
    await expect(openFile(`sha1://${manifest.sha1}?manifest=${storeBytes(new TextEncoder().encode('not json'))}`)).rejects.toThrow(/not valid manifest JSON/);
  });
});

describe('pathRedactor', () => {
  it('takes the lab\'s paths out of any message: kachery store, paths under a root, other absolute paths; URIs stay', async () => {
    const roots = await DataRoots.create([dataDir]);
    const redact = pathRedactor({ describe: (p) => roots.describe(p), kacheryDir: storeDir });
    expect(redact(`${join(dataDir, 'sub', 'a.bin')}: MDA header says int99`)).toBe('<data-dir>/sub/a.bin: MDA header says int99');
    expect(redact(`cannot read ${join(storeDir, 'sha1', 'aa', 'x')}.`)).toBe('cannot read <kachery store>/sha1/aa/x.');
    expect(redact(`spike_times.npy in "${join(base, 'secret')}" is truncated`)).toBe(`spike_times.npy in ""secret" (outside the relay's data directories)" is truncated`);
    expect(redact(`sha1://${'a'.repeat(40)}/rec.json needs 1/2 of (x/y)`)).toBe(`sha1://${'a'.repeat(40)}/rec.json needs 1/2 of (x/y)`);
    for (const m of [join(base, 'x'), `open(${join(dataDir, 'sub')})`, `a=${base}/y`]) expect(redact(m)).not.toContain(base);
  });
});
