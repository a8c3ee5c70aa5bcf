import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhyClusterTsv, siCurationV2Schema, SI_LABELS_KEY } from '../../core/curation';
import { curationSubfeedHash } from '../../core/feeds';
import { normalizeCuration } from '../../core/reducers/curation';
import type { LocalStack } from '../../emulator/stack';
import { emulatorUser, type EmulatorUser } from './authUsers';
import { startTestStack } from './stackHarness';

/**
 * The curation story end to end on the local stack: the owner grants edit rights with the CLI, an
 * editor signed in to the Auth emulator labels and merges through the API, and the built CLI exports
 * the curation for phy and SpikeInterface, reads the exports back as those tools do, and imports a
 * phy folder's labels into another sorting.
 */
let stack: LocalStack;
let dir: string;
let env: NodeJS.ProcessEnv;
let uri: string;
let feedId: string;
let sortingId: string;
let editor: EmulatorUser;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(process.cwd(), 'bin/sortingview.js'), ...args], { env, cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
const field = (out: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(out)?.[1];
const append = (messages: unknown[], sid = sortingId) => fetch(`${stack.apiUrl}/v1/feeds/${feedId}/${curationSubfeedHash(sid)}/messages`, {
  method: 'POST', headers: { authorization: `Bearer ${editor.idToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages }),
});

/** A firings.mda (3 × N float64, column-major: channel, time, unit) with units 1-6. */
function writeFirings(path: string): void {
  const n = 60;
  const data = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) { data[3 * i] = 1; data[3 * i + 1] = 100 + i * 50; data[3 * i + 2] = (i % 6) + 1; }
  const header = new Int32Array([-7, 8, 2, 3, n]);
  writeFileSync(path, Buffer.concat([Buffer.from(header.buffer), Buffer.from(data.buffer)]));
}

beforeAll(async () => {
  stack = await startTestStack({ pubsub: 'ours' });
  dir = mkdtempSync(join(tmpdir(), 'sv-curation-it-'));
  writeFirings(join(dir, 'firings.mda'));
  writeFileSync(join(dir, 'recording.json'), JSON.stringify({ recording_format: 'mda', data: { raw: join(dir, 'raw.mda'), geom: [[0, 0]], params: { samplerate: 30000 } } }));
  writeFileSync(join(dir, 'sorting.json'), JSON.stringify({ sorting_format: 'mda', data: { firings: join(dir, 'firings.mda'), samplerate: 30000 } }));
  env = {
    PATH: process.env.PATH, HOME: dir, ...stack.env,
    SORTINGVIEW_BACKEND: stack.backendUri, SORTINGVIEW_USER: 'owner@lab.org', KACHERY_STORAGE_DIR: join(dir, 'kachery'),
  };
  const created = await cli(['workspace', 'create', '--label', 'curation test']);
  expect(created.stderr).not.toMatch(/Error/);
  uri = field(created.stdout, 'Workspace URI')!;
  feedId = uri.slice('workspace://'.length);
  const rec = await cli(['workspace', 'add-recording', uri, 'recording.json']);
  const recordingId = field(rec.stdout, 'Recording ID')!;
  const s = await cli(['workspace', 'add-sorting', '--no-precalculate', uri, 'sorting.json', '--recording-id', recordingId, '--label', 'ks']);
  sortingId = field(s.stdout, 'Sorting ID')!;
  expect(sortingId).toMatch(/^S-/);
  editor = await emulatorUser(stack.env.FIREBASE_AUTH_EMULATOR_HOST, 'demo-sortingview', 'curator@lab.org');
}, 120_000);
afterAll(async () => stack?.stop());

describe('curation through the API, exported and imported with the CLI', () => {
  it('set-permissions lets the curator in; the curator\'s labels and merges land in the log', async () => {
    expect((await append([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }])).status).toBe(403);
    const granted = await cli(['workspace', 'set-permissions', uri, '--user', 'curator@lab.org', '--edit']);
    expect(granted).toMatchObject({ code: 0, stdout: expect.stringContaining(`curator@lab.org may now edit ${uri}.`) });
    const r = await append([
      { type: 'ADD_UNIT_LABEL', unitId: [1, 2], label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'reject' },
      { type: 'ADD_UNIT_LABEL', unitId: 4, label: 'mua' },
      { type: 'ADD_UNIT_LABEL', unitId: 4, label: 'pyramidal' },
      { type: 'ADD_UNIT_LABEL', unitId: 6, label: 'noise' },
      { type: 'MERGE_UNITS', unitIds: [1, 2] },
    ]);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ positions: [0, 1, 2, 3, 4, 5] });
    const revoked = await cli(['workspace', 'set-permissions', uri, '--user', 'curator@lab.org', '--no-edit']);
    expect(revoked.code).toBe(0);
    expect((await append([{ type: 'ADD_UNIT_LABEL', unitId: 5, label: 'accept' }])).status).toBe(403);
    expect((await cli(['workspace', 'set-permissions', uri, '--user', 'curator@lab.org', '--edit'])).code).toBe(0);
  });

  it('exports for phy (units read from the sorting\'s own files), and phy reads back the same groups', async () => {
    const r = await cli(['curation', 'export', uri, '--sorting-id', sortingId, '--format', 'phy', '--out', 'phy']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const groups = parsePhyClusterTsv(readFileSync(join(dir, 'phy', 'cluster_group.tsv'), 'utf8'), 'cluster_group.tsv', 'group');
    expect([...groups]).toEqual([[1, 'good'], [2, 'good'], [3, 'noise'], [4, 'mua'], [5, 'unsorted'], [6, 'noise']]);
    expect([...parsePhyClusterTsv(readFileSync(join(dir, 'phy', 'cluster_pyramidal.tsv'), 'utf8'), 'p', 'pyramidal')]).toEqual([[4, 'true']]);
    expect([...parsePhyClusterTsv(readFileSync(join(dir, 'phy', 'cluster_merge_group.tsv'), 'utf8'), 'm', 'merge_group')]).toEqual([[1, '1'], [2, '1']]);
  });

  it('exports SpikeInterface curation v2 that SpikeInterface\'s model accepts, holding the whole curation', async () => {
    const r = await cli(['curation', 'export', uri, '--sorting-id', sortingId, '--format', 'spikeinterface', '--out', 'curation.json']);
    expect(r.code).toBe(0);
    const si = siCurationV2Schema.parse(JSON.parse(readFileSync(join(dir, 'curation.json'), 'utf8')));
    expect(si.unit_ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(si.merges).toEqual([{ unit_ids: [1, 2], new_unit_id: 1 }]);
    expect(si.removed).toEqual([3, 6]);
    const labelsByUnit = Object.fromEntries(si.manual_labels.map((m) => [String(m.unit_id), m.labels[SI_LABELS_KEY]]));
    expect(normalizeCuration({ labelsByUnit, mergeGroups: si.merges.map((m) => m.unit_ids as number[]) })).toEqual(normalizeCuration({
      labelsByUnit: { 1: ['accept'], 2: ['accept'], 3: ['reject'], 4: ['mua', 'pyramidal'], 6: ['noise'] }, mergeGroups: [[1, 2]],
    }));
  });

  it('imports the exported phy folder into another sorting: the same phy groups come back', async () => {
    const recordingId = JSON.parse((await cli(['workspace', 'show', uri, '--json'])).stdout).recordings[0].recordingId;
    const second = field((await cli(['workspace', 'add-sorting', '--no-precalculate', uri, 'sorting.json', '--recording-id', recordingId, '--label', 'ks-copy'])).stdout, 'Sorting ID')!;
    const imported = await cli(['curation', 'import', uri, '--sorting-id', second, '--phy-folder', 'phy']);
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringMatching(/Imported 5 label\(s\) into the curation of S-.*: accept ×2, mua ×1, noise ×2\./) });
    const again = await cli(['curation', 'import', uri, '--sorting-id', second, '--phy-folder', 'phy']);
    expect(again.stdout).toMatch(/Nothing to import/);
    mkdirSync(join(dir, 'phy2'));
    expect((await cli(['curation', 'export', uri, '--sorting-id', second, '--format', 'phy', '--out', 'phy2'])).code).toBe(0);
    const back = parsePhyClusterTsv(readFileSync(join(dir, 'phy2', 'cluster_group.tsv'), 'utf8'), 'g', 'group');
    const orig = parsePhyClusterTsv(readFileSync(join(dir, 'phy', 'cluster_group.tsv'), 'utf8'), 'g', 'group');
    expect([...back]).toEqual([...orig]);
  });

  it('reports a bad format and an unknown sorting as one-line errors', async () => {
    const bad = await cli(['curation', 'export', uri, '--sorting-id', sortingId, '--format', 'kilosort', '--out', 'x']);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error: --format must be one of phy, spikeinterface/) });
    const unknown = await cli(['curation', 'export', uri, '--sorting-id', 'S-000000000000', '--format', 'phy', '--out', 'x']);
    expect(unknown.stderr).toMatch(/^Error: .* has no sorting S-000000000000\. Its sortings: /);
  });
});
