import { attributionOf } from '../../core/curation/attribution';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceSubfeedHash } from '../../core/feeds';
import { aclPath, feedCountPath, feedMessagePath, publicObjectUrl, registeredObjectPath, sha1Hex } from '../../core/protocol';
import type { LocalStack } from '../../emulator/stack';
import { startTestStack } from './stackHarness';

/**
 * `sortingview workspace …` as a user runs it: the built CLI in a child process, with the local
 * stack's environment (Cloud Storage emulator through the real client library), on small files in
 * real formats written here.
 */

let stack: LocalStack;
let gcs: Storage;
let dir: string;
let env: NodeJS.ProcessEnv;

/** A tiny MDA writer (reference/kachery.md §3: int32 dtype code, bytes per entry, ndims, dims; column-major data). */
function writeMda(path: string, dims: number[], data: Int16Array | Float64Array): void {
  const code = data instanceof Int16Array ? -4 : -7;
  const header = new Int32Array([code, data.BYTES_PER_ELEMENT, dims.length, ...dims]);
  writeFileSync(path, Buffer.concat([Buffer.from(header.buffer), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(process.cwd(), 'bin/sortingview.js'), ...args], { env: { ...env, ...extraEnv }, cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
const field = (out: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(out)?.[1];
const download = async (bucket: string, path: string) => (await gcs.bucket(bucket).file(path).download())[0].toString('utf8');

beforeAll(async () => {
  stack = await startTestStack({ auth: false, pubsub: 'ours' });
  gcs = new Storage({ projectId: stack.env.GOOGLE_CLOUD_PROJECT, apiEndpoint: stack.storage.url });
  dir = mkdtempSync(join(tmpdir(), 'sv-workspace-it-'));
  // A 4-channel, 3000-frame int16 recording in the SpikeForest layout, and its firings.
  const numChannels = 4;
  const numFrames = 3000;
  const raw = new Int16Array(numChannels * numFrames).map((_, i) => ((i * 37) % 200) - 100);
  writeMda(join(dir, 'raw.mda'), [numChannels, numFrames], raw);
  writeFileSync(join(dir, 'params.json'), JSON.stringify({ samplerate: 30000 }));
  writeFileSync(join(dir, 'geom.csv'), '0,0\n0,20\n0,40\n0,60\n');
  const times = [100, 400, 900, 1500, 2200, 2800];
  const firings = new Float64Array(3 * times.length);
  times.forEach((t, i) => { firings[3 * i] = 1; firings[3 * i + 1] = t; firings[3 * i + 2] = (i % 2) + 1; });
  writeMda(join(dir, 'firings.mda'), [3, times.length], firings);
  // The same recording as a 2021 recording object file.
  writeFileSync(join(dir, 'recording.json'), JSON.stringify({
    recording_format: 'mda',
    data: { raw: join(dir, 'raw.mda'), geom: [[0, 0], [0, 20], [0, 40], [0, 60]], params: { samplerate: 30000 } },
  }));
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    ...stack.env,
    SORTINGVIEW_BACKEND: stack.backendUri,
    SORTINGVIEW_USER: 'tester@lab.example.org',
    SORTINGVIEW_APP_URL: stack.webUrl,
    KACHERY_STORAGE_DIR: join(dir, 'kachery'),
  };
}, 120_000);
afterAll(async () => stack?.stop());

describe('sortingview workspace (built CLI on the local stack)', () => {
  let workspaceUri: string;
  let feedId: string;
  let recordingId: string;

  it('create: prints the URI and a link; the owner ACL is private, the empty log public', async () => {
    const r = await cli(['workspace', 'create', '--label', 'integration test']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    workspaceUri = field(r.stdout, 'Workspace URI')!;
    expect(workspaceUri).toMatch(/^workspace:\/\/[0-9a-f]{64}$/);
    feedId = workspaceUri.slice('workspace://'.length);
    const view = new URL(field(r.stdout, 'View')!);
    expect(`${view.origin}`).toBe(new URL(stack.webUrl).origin);
    expect(view.searchParams.get('backend')).toBe(stack.backendUri);
    expect(view.searchParams.get('workspace')).toBe(`${workspaceUri}?label=integration+test`);

    expect(JSON.parse(await download(stack.privateBucket, aclPath(feedId)))).toEqual({ owner: 'tester@lab.example.org', editors: [] });
    // Browsers read the log from the public bucket without credentials.
    const countUrl = publicObjectUrl(stack.env.SORTINGVIEW_PUBLIC_STORAGE_URL, stack.bucket, feedCountPath(feedId, workspaceSubfeedHash()));
    const res = await fetch(countUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 0 });
    // The ACL is not public.
    expect((await fetch(publicObjectUrl(stack.env.SORTINGVIEW_PUBLIC_STORAGE_URL, stack.privateBucket, aclPath(feedId)))).status).toBeGreaterThanOrEqual(400);
  });

  it('add-recording: stores the object in kachery, registers it, appends ADD_RECORDING', async () => {
    const r = await cli(['workspace', 'add-recording', workspaceUri, 'recording.json', '--label', 'rec1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    recordingId = field(r.stdout, 'Recording ID')!;
    const recordingUri = field(r.stdout, 'Recording URI')!;
    expect(recordingId).toMatch(/^R-[0-9a-f]{12}$/);
    expect(recordingUri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/rec1\.json$/);
    const h = recordingUri.slice(7, 47);
    const stored = readFileSync(join(dir, 'kachery', 'sha1', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h), 'utf8');
    expect(sha1Hex(stored)).toBe(h);
    expect(JSON.parse(stored)).toMatchObject({ recording_format: 'mda', data: { raw: join(dir, 'raw.mda') } });
    expect(await download(stack.privateBucket, registeredObjectPath(stack.label, h))).toBe(stored);

    const url = publicObjectUrl(stack.env.SORTINGVIEW_PUBLIC_STORAGE_URL, stack.bucket, feedMessagePath(feedId, workspaceSubfeedHash(), 0));
    const message = await (await fetch(url)).json();
    expect(message).toMatchObject({
      message: { action: { type: 'ADD_RECORDING', recording: { recordingId, recordingLabel: 'rec1', recordingPath: recordingUri, recordingObject: JSON.parse(stored), description: '' } } },
      user: attributionOf(feedId, 'tester@lab.example.org'),
    });
    expect(typeof message.timestamp).toBe('number');
  });

  it('add-sorting: a sorting of that recording; an unknown recording id is refused', async () => {
    const bad = await cli(['workspace', 'add-sorting', '--no-precalculate', workspaceUri, 'firings.mda', '--recording-id', 'R-000000000000', '--label', 'ms4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^Error: The workspace has no recording R-000000000000\\. Its recordings: ${recordingId} \\(rec1\\)`));

    const sortingJson = join(dir, 'sorting.json');
    writeFileSync(sortingJson, JSON.stringify({ sorting_format: 'mda', data: { firings: join(dir, 'firings.mda'), samplerate: 30000 } }));
    const r = await cli(['workspace', 'add-sorting', '--no-precalculate', workspaceUri, sortingJson, '--recording-id', recordingId, '--label', 'ms4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(field(r.stdout, 'Sorting ID')).toMatch(/^S-[0-9a-f]{12}$/);
    expect(field(r.stdout, 'Sorting URI')).toMatch(/^sha1:\/\/[0-9a-f]{40}\/ms4\.json$/);
  });

  it('detects real files: an MDA recording (SpikeForest layout) and its firings.mda', async () => {
    const rec = await cli(['workspace', 'add-recording', workspaceUri, join(dir, 'raw.mda'), '--label', 'detected']);
    expect(rec.code).toBe(0);
    // Detection gives byte for byte the object recording.json holds, so the CLI points out the twin.
    expect(rec.stderr).toBe(`Note: ${recordingId} in this workspace already holds the same recording object; adding it again under a new id.\n`);
    const id = field(rec.stdout, 'Recording ID')!;
    const uri = field(rec.stdout, 'Recording URI')!;
    const h = uri.slice(7, 47);
    const object = JSON.parse(readFileSync(join(dir, 'kachery', 'sha1', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h), 'utf8'));
    expect(object).toEqual({ recording_format: 'mda', data: { raw: join(dir, 'raw.mda'), geom: [[0, 0], [0, 20], [0, 40], [0, 60]], params: { samplerate: 30000 } } });

    const sorting = await cli(['workspace', 'add-sorting', '--no-precalculate', workspaceUri, 'firings.mda', '--recording-id', id]);
    expect(sorting.stderr).toBe('');
    expect(sorting.code).toBe(0);
    expect(field(sorting.stdout, 'Sorting URI')).toMatch(/\/firings\.json$/);

    // A recording offered as a sorting is refused with the reason.
    const wrong = await cli(['workspace', 'add-sorting', '--no-precalculate', workspaceUri, 'recording.json', '--recording-id', id]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is a recording \(recording_format mda\), not a sorting: use "sortingview workspace add-recording"/);
  });

  it('show: lists recordings and sortings', async () => {
    const r = await cli(['workspace', 'show', workspaceUri]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Workspace ${workspaceUri}`);
    expect(r.stdout).toMatch(new RegExp(`Recordings \\(2\\)\\n  ID +LABEL +FORMAT\\n  ${recordingId} +rec1 +mda\\n  R-[0-9a-f]{12} +detected +mda\\n`));
    expect(r.stdout).toMatch(new RegExp(`Sortings \\(2\\)\\n  ID +LABEL +RECORDING +FORMAT\\n  S-[0-9a-f]{12} +ms4 +${recordingId} +mda\\n  S-[0-9a-f]{12} +firings +R-[0-9a-f]{12} +mda\\n`));
  });

  it('gives clear errors for malformed and unknown workspaces, missing deployment and files, and usage errors', async () => {
    const malformed = await cli(['workspace', 'show', 'workspace://not-a-feed']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^Error: Not a workspace URI: "workspace:\/\/not-a-feed"\. The feed id after workspace:\/\/ must be 64 hex digits/);

    const unknown = await cli(['workspace', 'add-recording', `workspace://${'0'.repeat(64)}`, 'recording.json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Error: Unknown workspace workspace:\/\/0{64}: there is no workspace with that id in this bucket/);

    const noFile = await cli(['workspace', 'add-recording', workspaceUri, 'missing/raw.mda']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain(`Error: No such file or folder: ${join(dir, 'missing/raw.mda')}`);

    const noBackend = await cli(['workspace', 'show', workspaceUri], { SORTINGVIEW_BACKEND: '' });
    expect(noBackend.code).toBe(1);
    expect(noBackend.stderr).toMatch(/^Error: Which deployment\? Pass --backend/);

    const wrongBucket = await cli(['workspace', 'show', workspaceUri, '--backend', 'gs://no-such-bucket/sortingview-backends/x.json'], { GOOGLE_BUCKET_NAME: '' });
    expect(wrongBucket.code).toBe(1);
    expect(wrongBucket.stderr).toMatch(/^Error: /);
    expect(wrongBucket.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace

    const usage = await cli(['workspace', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--label <name>' not specified/);
  });
});
