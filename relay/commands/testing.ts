import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { addRecordingAction, addSortingAction, appendWorkspaceActions, createWorkspace, loadWorkspace } from '../../core/feeds';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { addCurationCommands, type CurationDeps } from './curation';
import { addPermissionsCommand } from './permissions';
import { addWorkspaceCommands } from './workspace';

/** The curation and permissions commands on memory buckets with one workspace holding one sorting. */
export async function curationHarness(opts: { owner?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sv-curation-cmd-'));
  const stores = { public: memoryBlobStore(), private: memoryBlobStore() };
  const feedId = 'd4'.repeat(32);
  await createWorkspace(stores, { feedId, owner: opts.owner ?? 'me@lab.org' });
  let k = 0;
  const random = (n: number) => Uint8Array.from({ length: n }, () => k++ & 0xff);
  const rec = addRecordingAction((await loadWorkspace(stores.public, feedId)).state, { label: 'rec', path: `sha1://${'1'.repeat(40)}/rec.json`, object: { recording_format: 'mda', data: {} } }, random);
  await appendWorkspaceActions(stores.public, feedId, [rec], { user: 'me@lab.org', now: () => 1 });
  const sortingObject = { sorting_format: 'mda', data: { firings: '/data/firings.mda', samplerate: 30000 } };
  const s = addSortingAction((await loadWorkspace(stores.public, feedId)).state, { recordingId: rec.recording.recordingId, label: 'ks', path: `sha1://${'2'.repeat(40)}/ks.json`, object: sortingObject }, random);
  await appendWorkspaceActions(stores.public, feedId, [s], { user: 'me@lab.org', now: () => 2 });

  const out: string[] = [];
  const err: string[] = [];
  const localReads: unknown[] = [];
  const deps: CurationDeps & { localUnitIdsResult: number[] | Error } = {
    env: { SORTINGVIEW_BACKEND: 'gs://lab-bucket/sortingview-backends/mylab.json', SORTINGVIEW_USER: 'me@lab.org', KACHERY_STORAGE_DIR: join(dir, 'kachery') },
    cwd: dir,
    openStores: () => stores,
    random,
    now: () => 1_700_000_000_000,
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    localUnitIdsResult: new Error('firings.mda is not on this machine'),
    localUnitIds: async (obj) => {
      localReads.push(obj);
      if (deps.localUnitIdsResult instanceof Error) throw deps.localUnitIdsResult;
      return deps.localUnitIdsResult;
    },
  };
  const run = async (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    const program = new Command('sortingview').exitOverride().configureOutput({ writeErr: (x) => err.push(x), writeOut: (x) => out.push(x) });
    addPermissionsCommand(addWorkspaceCommands(program, deps), deps);
    addCurationCommands(program, deps);
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out: [...out], err: [...err], error: null as Error | null };
    } catch (e) {
      return { out: [...out], err: [...err], error: e as Error };
    }
  };
  return { dir, stores, feedId, uri: `workspace://${feedId}`, sortingId: s.sorting.sortingId, sorting: s.sorting, deps, run, localReads };
}
