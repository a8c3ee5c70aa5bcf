import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../emulator/stack';
import { encodeMda } from '../../relay/formats/mda';

/**
 * The README's "use the CLI as a lab would" against the local stack: `source .sortingview/local.env`
 * in bash, then the add-data commands with nothing else set. They must store objects where the relay
 * looks, so the first task on the new sorting works (issue 18, item 13).
 */
let stack: LocalStack;
let stateDir: string;
let dataDir: string;

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Only what a fresh terminal has: PATH and HOME; everything else comes from local.env.
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: stateDir }, cwd: dataDir, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
const field = (out: string, name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(out)?.[1]?.trim();

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'sv-local-env-'));
  stateDir = join(root, 'state');
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  // A 2-channel MDA recording and its firings, in the SpikeForest layout.
  const raw = new Int16Array(2 * 3000).map((_, i) => ((i * 37) % 200) - 100);
  writeFileSync(join(dataDir, 'raw.mda'), encodeMda('int16', [2, 3000], raw));
  writeFileSync(join(dataDir, 'params.json'), JSON.stringify({ samplerate: 30000 }));
  writeFileSync(join(dataDir, 'geom.csv'), '0,0\n0,20\n');
  const times = [100, 400, 900, 1500];
  const firings = new Float64Array(3 * times.length);
  times.forEach((t, i) => { firings[3 * i] = 1; firings[3 * i + 1] = t; firings[3 * i + 2] = (i % 2) + 1; });
  writeFileSync(join(dataDir, 'firings.mda'), encodeMda('float64', [3, times.length], firings));
  stack = await startLocalStack({
    stateDir, distDir: join(process.cwd(), 'dist'), minBackoffMs: 100, pubsub: 'ours', auth: false,
    relay: { dataDirs: [dataDir], kacheryStorageDir: join(root, 'kachery') }, user: 'demo@localhost',
  });
}, 180_000);
afterAll(async () => stack?.stop());

describe('.sortingview/local.env', () => {
  it('holds everything the README\'s CLI commands need: backend, app URL, kachery store, user', () => {
    const text = readFileSync(join(stateDir, 'local.env'), 'utf8');
    for (const name of ['SORTINGVIEW_BACKEND', 'SORTINGVIEW_APP_URL', 'KACHERY_STORAGE_DIR', 'SORTINGVIEW_USER', 'STORAGE_EMULATOR_HOST']) {
      expect(text).toMatch(new RegExp(`^export ${name}=`, 'm'));
    }
  });

  it('after `source local.env`, add-recording and add-sorting register data the relay serves', async () => {
    const cli = `node ${JSON.stringify(join(process.cwd(), 'bin/sortingview.js'))}`;
    const env = `source ${JSON.stringify(join(stateDir, 'local.env'))}`;
    const created = await bash(`${env} && ${cli} workspace create --label readme`);
    expect(created.stderr).toBe('');
    const ws = field(created.stdout, 'Workspace URI')!;
    expect(field(created.stdout, 'View')).toContain(stack.webUrl);
    const rec = await bash(`${env} && ${cli} workspace add-recording ${ws} raw.mda --label r`);
    expect(rec.code, rec.stderr).toBe(0);
    const sorting = await bash(`${env} && ${cli} workspace add-sorting ${ws} firings.mda --recording-id ${field(rec.stdout, 'Recording ID')} --label s`);
    expect(sorting.code, sorting.stderr).toBe(0);
    const shown = await bash(`${env} && ${cli} workspace show ${ws} --json`);
    const sortingPath = (JSON.parse(shown.stdout) as { sortings: { sortingPath: string }[] }).sortings[0].sortingPath;
    const info = await bash(`${env} && ${cli} task sorting_info.3 --kwargs ${JSON.stringify(JSON.stringify({ sorting_uri: sortingPath }))}`);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ unit_ids: [1, 2], samplerate: 30000 });
  }, 180_000);
});
