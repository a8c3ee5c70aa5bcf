import { attributionOf } from '../../core/curation/attribution';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeEach, describe, expect, it } from 'vitest';
import { readFeed, workspaceSubfeedHash } from '../../core/feeds';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { aclPath, sha1Hex } from '../../core/protocol';
import { storeJson } from '../kacheryWrite';
import { ApiUnreachableError } from '../../core/client/httpPolicy';
import { CliError } from '../cliErrors';
import type { PrecalculateSummary } from './precalculate';
import { addWorkspaceCommands, formatWorkspace, type WorkspaceDeps } from './workspace';
import { cliUser, viewUrl } from './workspaceContext';
import { detectFormat } from '../formats';
import { binaryFolderRecordingFiles } from '../../scripts/demoData/sortingAnalyzer';
import { writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';

const BACKEND = 'gs://lab-bucket/sortingview-backends/mylab.json';

/** The command group on memory buckets, a temp kachery dir and a fake format detector. */
function harness() {
  const dir = mkdtempSync(join(tmpdir(), 'sv-ws-cmd-'));
  const kachery = join(dir, 'kachery');
  const data = join(dir, 'data');
  mkdirSync(data);
  const stores = { public: memoryBlobStore(), private: memoryBlobStore() };
  const opened: string[] = [];
  const detected: Record<string, unknown>[] = [];
  let k = 0;
  const out: string[] = [];
  const err: string[] = [];
  const deps: WorkspaceDeps = {
    env: { SORTINGVIEW_BACKEND: BACKEND, SORTINGVIEW_USER: 'me@lab.org', KACHERY_STORAGE_DIR: kachery, SORTINGVIEW_APP_URL: 'https://app.example.org' },
    cwd: data,
    openStores: (t) => { opened.push(`${t.bucket} ${t.privateBucket} ${t.label}`); return stores; },
    random: (n) => Uint8Array.from({ length: n }, () => k++ & 0xff),
    now: () => 1_700_000_000_000,
    detectFormat: async (path, hints) => {
      detected.push({ path, ...hints });
      if (path.endsWith('raw.mda')) return { recording_format: 'mda', data: { raw: path, geom: [[0, 0], [0, 20]], params: { samplerate: 30000 } } };
      if (path.endsWith('firings.mda')) return { sorting_format: 'mda', data: { firings: path, samplerate: 30000 } };
      throw new Error('no format I know: expected .mda');
    },
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  };
  const run = async (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    const program = new Command('sortingview').exitOverride().configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
    addWorkspaceCommands(program, deps);
    try {
      await program.parseAsync(['workspace', ...args], { from: 'user' });
      return { out: [...out], err: [...err], error: null as Error | null };
    } catch (e) {
      return { out: [...out], err: [...err], error: e as Error };
    }
  };
  writeFileSync(join(data, 'raw.mda'), 'x');
  writeFileSync(join(data, 'firings.mda'), 'y');
  return { dir, kachery, data, stores, deps, run, opened, detected };
}

const line = (lines: string[], prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);

describe('sortingview workspace (memory buckets)', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => { h = harness(); });

  const create = async () => {
    const r = await h.run('create', '--label', 'my lab');
    expect(r.error).toBeNull();
    return line(r.out, 'Workspace URI: ')!;
  };

  it('create: new feed, owner ACL in the private bucket, URI and link printed', async () => {
    const r = await h.run('create', '--label', 'my lab');
    expect(r.error).toBeNull();
    const uri = line(r.out, 'Workspace URI: ')!;
    expect(uri).toBe('workspace://000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const feedId = uri.slice('workspace://'.length);
    expect(JSON.parse(new TextDecoder().decode(h.stores.private.objects.get(aclPath(feedId))))).toEqual({ owner: 'me@lab.org', editors: [] });
    const view = new URL(line(r.out, 'View: ')!);
    expect(view.origin).toBe('https://app.example.org');
    expect(view.searchParams.get('backend')).toBe(BACKEND);
    expect(view.searchParams.get('workspace')).toBe(`${uri}?label=my+lab`);
    expect(h.opened).toEqual(['lab-bucket lab-bucket-private mylab']);
    // The log exists and is empty.
    expect(await readFeed(h.stores.public, feedId, workspaceSubfeedHash())).toEqual([]);
  });

  it('add-recording: detects the format, stores and registers the object, appends ADD_RECORDING', async () => {
    const uri = await create();
    const r = await h.run('add-recording', uri, 'raw.mda', '--label', 'rec 1');
    expect(r.error).toBeNull();
    const id = line(r.out, 'Recording ID: ')!;
    const recUri = line(r.out, 'Recording URI: ')!;
    expect(id).toMatch(/^R-[0-9a-f]{12}$/);
    expect(recUri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/rec_1\.json$/);
    const h1 = recUri.slice(7, 47);
    const expectedJson = `{"recording_format":"mda","data":{"raw":${JSON.stringify(join(h.data, 'raw.mda'))},"geom":[[0,0],[0,20]],"params":{"samplerate":30000}}}`;
    const stored = readFileSync(join(h.kachery, 'sha1', h1.slice(0, 2), h1.slice(2, 4), h1.slice(4, 6), h1), 'utf8');
    expect(stored).toBe(expectedJson);
    expect(sha1Hex(stored)).toBe(h1);
    expect(new TextDecoder().decode(h.stores.private.objects.get(`objects/mylab/${h1}`))).toBe(expectedJson);
    // The URI exactly as printed is registered too, and only that form (core/tasks/dataKwargs.ts).
    expect([...h.stores.private.objects.keys()].filter((k) => k.startsWith(`objects/mylab/${h1}.names/`))).toEqual([`objects/mylab/${h1}.names/rec_1.json`]);

    const feedId = uri.slice(12);
    const log = await readFeed(h.stores.public, feedId, workspaceSubfeedHash());
    expect(log).toEqual([{
      message: { action: { type: 'ADD_RECORDING', recording: { recordingId: id, recordingLabel: 'rec 1', recordingPath: recUri, recordingObject: JSON.parse(expectedJson), description: '' } } },
      // The public log attributes without the address (core/curation/attribution.ts).
      user: attributionOf(feedId, 'me@lab.org'), timestamp: 1_700_000_000_000,
    }]);
  });

  it('add-recording checks an Open Ephys --stream at once and says what it chose', async () => {
    h.deps.detectFormat = detectFormat; // the real detector on real files
    const rec = join(h.data, 'oe', 'recording1');
    const streams = ['ProbeA-AP', 'ProbeA-LFP'].map((n) => ({ folder_name: `Neuropix-PXI-100.${n}/`, stream_name: n, sample_rate: 30000, num_channels: 1, channels: [{ channel_name: 'CH1', bit_volts: 0.195, units: 'uV' }] }));
    for (const st of streams) {
      mkdirSync(join(rec, 'continuous', st.folder_name), { recursive: true });
      writeFileSync(join(rec, 'continuous', st.folder_name, 'continuous.dat'), new Uint8Array(8));
    }
    writeFileSync(join(rec, 'structure.oebin'), JSON.stringify({ continuous: streams }));
    const uri = await create();
    const none = await h.run('add-recording', uri, 'oe');
    expect(none.error?.message).toBe(`Cannot add ${join(h.data, 'oe')} as a recording: ${join(rec, 'structure.oebin')}: has 2 continuous streams (ProbeA-AP, ProbeA-LFP); choose one with --stream, e.g. --stream ProbeA-AP`);
    const unknown = await h.run('add-recording', uri, 'oe', '--stream', 'ProbeB');
    expect(unknown.error?.message).toContain('has no stream "ProbeB" (--stream); its streams are ProbeA-AP, ProbeA-LFP');
    expect(() => readdirSync(h.kachery)).toThrow(); // nothing stored
    const ok = await h.run('add-recording', uri, 'oe', '--stream', 'LFP');
    expect(ok.error).toBeNull();
    expect(ok.err).toContain('Note: --stream LFP is the stream ProbeA-LFP (stored by that name)');
    const show = await h.run('show', uri, '--json');
    expect(JSON.parse(show.out.join('\n')).recordings[0].recordingObject).toEqual({ recording_format: 'openephys', data: { oebin_path: join(rec, 'structure.oebin'), stream: 'ProbeA-LFP' } });
  });

  it('add-sorting: refuses an unknown recording id before storing anything, then adds one', async () => {
    const uri = await create();
    const bad = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', 'R-000000000000', '--label', 'ks');
    expect(bad.error?.message).toMatch(/The workspace has no recording R-000000000000\. It has no recordings yet/);
    expect(() => readdirSync(h.kachery)).toThrow(); // nothing stored

    const rec = await h.run('add-recording', uri, join(h.data, 'raw.mda'));
    const recId = line(rec.out, 'Recording ID: ')!;
    expect(line(rec.out, 'Recording URI: ')).toMatch(/\/raw\.json$/); // default label: the file name
    const again = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', 'R-ffffffffffff');
    expect(again.error?.message).toContain(`Its recordings: ${recId} (raw)`);

    const badRate = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--samplerate', 'fast');
    expect(badRate.error?.message).toMatch(/--samplerate must be a positive number of Hz \(got fast\)/);
    h.detected.length = 0;
    const s = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks', '--samplerate', '20000');
    expect(s.error).toBeNull();
    expect(h.detected).toEqual([{ path: join(h.data, 'firings.mda'), kind: 'sorting', samplerateHz: 20000, onNote: expect.any(Function) }]);
    expect(line(s.out, 'Sorting ID: ')).toMatch(/^S-[0-9a-f]{12}$/);
    expect(line(s.out, 'Sorting URI: ')).toMatch(/^sha1:\/\/[0-9a-f]{40}\/ks\.json$/);

    const show = await h.run('show', uri);
    expect(show.error).toBeNull();
    expect(show.out.join('\n')).toMatch(new RegExp(`Recordings \\(1\\)\\n  ID +LABEL +FORMAT\\n  ${recId} +raw +mda`));
    expect(show.out.join('\n')).toMatch(new RegExp(`Sortings \\(1\\)\\n  ID +LABEL +RECORDING +FORMAT\\n  S-[0-9a-f]{12} +ks +${recId} +mda`));
    const json = await h.run('show', uri, '--json');
    expect(JSON.parse(json.out.join('\n')).sortings[0]).toMatchObject({ sortingLabel: 'ks', recordingId: recId, sortingObject: { sorting_format: 'mda' } });
  });

  it('add-sorting precalculates the sorting page it added, unless --no-precalculate; a failure or a stopped relay is said and the sorting stays added', async () => {
    const uri = await create();
    const recId = line((await h.run('add-recording', uri, join(h.data, 'raw.mda'))).out, 'Recording ID: ')!;
    const asked: [string, string][] = [];
    let answer: PrecalculateSummary | Error = { tasks: 12, cached: 2, computed: 10, failed: [] };
    h.deps.precalculateSorting = async (ws, sortingId) => {
      asked.push([ws, sortingId]);
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const s = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks');
    expect(s.error).toBeNull();
    const sortingId = line(s.out, 'Sorting ID: ')!;
    expect(asked).toEqual([[uri, sortingId]]);
    expect(s.err).toContain('Precalculated its sorting page: 12 tasks, 10 computed, 2 already cached.');

    const skipped = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks2', '--no-precalculate', '--json');
    expect(asked).toHaveLength(1);
    expect(JSON.parse(skipped.out.join('\n'))).toMatchObject({ precalculated: null });

    answer = { tasks: 12, cached: 0, computed: 10, failed: [{ functionId: 'fetch_average_waveform.2', message: 'Unit 3 has no spikes' }, { functionId: 'x', message: 'y' }] };
    const failed = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks3', '--json');
    expect(failed.error).toBeNull();
    const id3 = JSON.parse(failed.out.join('\n')).sortingId;
    expect(JSON.parse(failed.out.join('\n')).precalculated.failed).toHaveLength(2);
    expect(failed.err).toContain(`Warning: fetch_average_waveform.2 failed (Unit 3 has no spikes) and 1 more; the sorting is added. To retry: sortingview precalculate ${uri} --sorting ${id3}`);

    answer = new CliError('the relay of backend "mylab" is not running (it last checked in 12 min ago); start it with sortingview-start-backend --label mylab');
    const stopped = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks4');
    expect(stopped.error).toBeNull();
    const id4 = line(stopped.out, 'Sorting ID: ')!;
    expect(stopped.err).toContain(`Note: its sorting page was not precalculated: the relay of backend "mylab" is not running (it last checked in 12 min ago); start it with sortingview-start-backend --label mylab. To do it later: sortingview precalculate ${uri} --sorting ${id4}`);
    answer = new ApiUnreachableError('Cannot reach the API at http://127.0.0.1:9: check the deployment', 'http://127.0.0.1:9');
    const noApi = await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks4b');
    expect(noApi.error).toBeNull();
    expect(noApi.err.find((l) => l.startsWith('Note: its sorting page was not precalculated: Cannot reach the API'))).toBeDefined();
    // A bug is not hidden behind a note.
    answer = new TypeError('boom');
    expect((await h.run('add-sorting', uri, 'firings.mda', '--recording-id', recId, '--label', 'ks5')).error?.message).toMatch(/boom/);
    const show = await h.run('show', uri, '--json');
    expect(JSON.parse(show.out.join('\n')).sortings.map((x: { sortingLabel: string }) => x.sortingLabel)).toEqual(['ks', 'ks2', 'ks3', 'ks4', 'ks4b', 'ks5']);
  });

  it('refuses a recording where a sorting is expected, and the other way round', async () => {
    const uri = await create();
    const r = await h.run('add-recording', uri, 'firings.mda');
    expect(r.error?.message).toMatch(/firings\.mda is a sorting \(sorting_format mda\), not a recording: use "sortingview workspace add-sorting"/);
    const u = await h.run('add-recording', uri, 'notes.txt');
    expect(u.error?.message).toMatch(/No such file or folder: .*notes\.txt/);
    writeFileSync(join(h.data, 'notes.txt'), 'hello');
    const d = await h.run('add-recording', uri, 'notes.txt');
    expect(d.error?.message).toMatch(/Cannot add .*notes\.txt as a recording: no format I know/);
  });

  it('takes an object .json file, or a sha1:// object URI from the kachery store, keeping its bytes', async () => {
    const uri = await create();
    const obj = { recording_format: 'bin1', data: { raw: '/d/raw.bin', raw_num_channels: 2, num_frames: 10, samplerate: 20000, channel_ids: [0, 1], channel_map: { 0: 0, 1: 1 }, channel_positions: { 0: [0, 0], 1: [0, 1] } } };
    writeFileSync(join(h.data, 'rec.json'), JSON.stringify(obj, null, 2));
    const a = await h.run('add-recording', uri, 'rec.json');
    expect(a.error).toBeNull();
    expect(line(a.out, 'Recording URI: ')).toMatch(/\/rec\.json$/);

    // An object stored by someone else, with its own formatting: the URI keeps its hash.
    const { sha1 } = await storeJson(h.kachery, obj, 'original.json');
    const spaced = await storeJson(h.kachery, 'placeholder'); // (any other content in the store)
    expect(spaced.sha1).not.toBe(sha1);
    const b = await h.run('add-recording', uri, `sha1://${sha1}/original.json`);
    expect(b.error).toBeNull();
    expect(line(b.out, 'Recording URI: ')).toBe(`sha1://${sha1}/original.json`);
    expect(b.err.join('\n')).toMatch(/already holds the same recording object/);
    expect(h.stores.private.objects.has(`objects/mylab/${sha1}`)).toBe(true);

    const missing = await h.run('add-recording', uri, `sha1://${'9'.repeat(40)}/x.json`);
    expect(missing.error?.message).toMatch(/is not in the kachery store at .*kachery-storage-dir/);
    const notObject = await h.run('add-recording', uri, `sha1://${spaced.sha1}/x.json`);
    expect(notObject.error?.message).toMatch(/Not a recording object/);
  });

  it('a .json that is not an object JSON is a data file: format detection decides (SpikeInterface binary.json)', async () => {
    h.deps.detectFormat = detectFormat; // the real detector on real files
    const uri = await create();
    await writeFiles(join(h.data, 'si_rec'), binaryFolderRecordingFiles({
      channelIds: [0, 1], isFiltered: false, gainToUv: [0.195, 0.195], offsetToUv: [0, 0], groups: [0, 0], positions: [[0, 0], [0, 20]],
      samplingFrequency: 30000, traces: [new Int16Array(20)],
    }));
    const r = await h.run('add-recording', uri, join('si_rec', 'binary.json'));
    expect(r.error).toBeNull();
    const show = await h.run('show', uri, '--json');
    expect(JSON.parse(show.out.join('\n')).recordings[0].recordingObject).toEqual({ recording_format: 'si_binary_folder', data: { folder: join(h.data, 'si_rec') } });

    // Neither an object nor a format: both are said.
    writeFileSync(join(h.data, 'other.json'), JSON.stringify({ hello: 1 }));
    const other = await h.run('add-recording', uri, 'other.json');
    expect(other.error?.message).toMatch(/^Cannot add .*other\.json as a recording: .*is not a recording or sorting file this relay recognises.* \(nor is it a recording object JSON: .+\)$/);
    // A JSON that names a format is meant as an object: what is wrong with it is the answer.
    writeFileSync(join(h.data, 'broken.json'), JSON.stringify({ recording_format: 'bin1', data: {} }));
    const broken = await h.run('add-recording', uri, 'broken.json');
    expect(broken.error?.message).toMatch(/broken\.json: /);
    expect(broken.error?.message).not.toMatch(/Cannot add/);
    writeFileSync(join(h.data, 'sorting.json'), JSON.stringify({ sorting_format: 'mda', data: { firings: '/f.mda', samplerate: 30000 } }));
    expect((await h.run('add-recording', uri, 'sorting.json')).error?.message).toMatch(/is a sorting \(sorting_format mda\), not a recording/);
  });

  it('says clearly when the workspace URI is malformed or unknown, or the deployment is not given', async () => {
    const malformed = await h.run('show', 'workspace://1234');
    expect(malformed.error?.message).toMatch(/Not a workspace URI.*64 hex digits/);
    const unknown = await h.run('show', `workspace://${'f'.repeat(64)}`);
    expect(unknown.error?.message).toMatch(/Unknown workspace workspace:\/\/f{64}: there is no workspace with that id/);
    const addUnknown = await h.run('add-recording', `workspace://${'f'.repeat(64)}`, 'raw.mda');
    expect(addUnknown.error?.message).toMatch(/Unknown workspace/);
    delete h.deps.env.SORTINGVIEW_BACKEND;
    const noBackend = await h.run('create', '--label', 'x');
    expect(noBackend.error?.message).toMatch(/Pass --backend gs:\/\/<bucket>\/sortingview-backends\/<label>\.json .* or set SORTINGVIEW_BACKEND/);
    const badBackend = await h.run('create', '--label', 'x', '--backend', 'https://example.org');
    expect(badBackend.error?.message).toMatch(/Not a Backend URI/);
    h.deps.env.GOOGLE_BUCKET_NAME = 'other-bucket';
    const mismatch = await h.run('create', '--label', 'x', '--backend', BACKEND);
    expect(mismatch.error?.message).toMatch(/GOOGLE_BUCKET_NAME is other-bucket but the Backend URI names bucket lab-bucket/);
  });

  it('prints a hint instead of a link when no app URL is known', async () => {
    delete h.deps.env.SORTINGVIEW_APP_URL;
    const r = await h.run('create', '--label', 'x');
    expect(line(r.out, 'View: ')).toBeUndefined();
    expect(r.err.join('')).toMatch(/--app-url/);
    const bad = await h.run('create', '--label', 'x', '--app-url', 'not a url');
    expect(bad.error?.message).toMatch(/not a URL/);
  });
});

describe('workspace command helpers', () => {
  it('names the acting user: SORTINGVIEW_USER, else the key file client_email, else "cli"', () => {
    const read = () => JSON.stringify({ type: 'service_account', client_email: 'relay@proj.iam.gserviceaccount.com' });
    expect(cliUser({ SORTINGVIEW_USER: 'a@b.org', GOOGLE_APPLICATION_CREDENTIALS: '/k.json' }, read)).toBe('a@b.org');
    expect(cliUser({ GOOGLE_APPLICATION_CREDENTIALS: '/k.json' }, read)).toBe('relay@proj.iam.gserviceaccount.com');
    expect(cliUser({ GOOGLE_APPLICATION_CREDENTIALS: '/k.json' }, () => { throw new Error('ENOENT'); })).toBe('cli');
    expect(cliUser({})).toBe('cli');
  });

  it('builds the view link with both URIs encoded', () => {
    expect(viewUrl('http://127.0.0.1:8080', BACKEND, 'workspace://ab?label=x y'))
      .toBe('http://127.0.0.1:8080/?backend=gs%3A%2F%2Flab-bucket%2Fsortingview-backends%2Fmylab.json&workspace=workspace%3A%2F%2Fab%3Flabel%3Dx+y');
  });

  it('formats an empty workspace', () => {
    expect(formatWorkspace('workspace://x', { recordings: [], sortings: [], snippetLen: [50, 80] })).toEqual([
      'Workspace workspace://x', 'Snippet length: 50 frames before, 80 after', '', 'Recordings (0): none', '', 'Sortings (0): none',
    ]);
  });
});
