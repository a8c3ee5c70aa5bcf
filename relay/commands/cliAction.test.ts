import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { curationHarness } from './testing';
import { addCurationCommands } from './curation';
import { addPermissionsCommand } from './permissions';
import { addWorkspaceCommands } from './workspace';

/** Every leaf command of the tree, by its full name. */
function leaves(c: Command, prefix = ''): { name: string; cmd: Command }[] {
  const name = `${prefix}${prefix ? ' ' : ''}${c.name()}`;
  return c.commands.length ? c.commands.flatMap((s) => leaves(s, name)) : [{ name, cmd: c }];
}

describe('--json on every workspace and curation command', () => {
  it('is declared by each of them', async () => {
    const h = await curationHarness();
    const program = new Command('sortingview');
    addPermissionsCommand(addWorkspaceCommands(program, h.deps), h.deps);
    addCurationCommands(program, h.deps);
    const all = leaves(program).map((l) => ({ name: l.name.replace(/^sortingview /, ''), json: l.cmd.options.some((o) => o.long === '--json') }));
    expect(all.length).toBe(10);
    expect(all.filter((c) => !c.json).map((c) => c.name)).toEqual([]);
  });

  it('prints only the result, as one JSON document, that a script parses (create, set-permissions, remove-sorting)', async () => {
    const h = await curationHarness();
    const created = await h.run('workspace', 'create', '--label', 'py', '--json');
    expect(created.error).toBeNull();
    expect(created.out).toHaveLength(1);
    expect(JSON.parse(created.out[0])).toMatchObject({ workspaceUri: expect.stringMatching(/^workspace:\/\//), feedId: expect.any(String) });

    const perms = await h.run('workspace', 'set-permissions', h.uri, '--user', 'ed@lab.org', '--edit', '--json');
    expect(perms.error).toBeNull();
    expect(JSON.parse(perms.out.join('\n'))).toEqual({ owner: 'me@lab.org', editors: ['ed@lab.org'] });

    const removed = await h.run('workspace', 'remove-sorting', h.uri, h.sortingId, '--json');
    expect(removed.error).toBeNull();
    expect(JSON.parse(removed.out.join('\n'))).toEqual({});
    // Without --json the same commands speak text.
    const text = await h.run('workspace', 'create', '--label', 'py');
    expect(text.out[0]).toMatch(/^Workspace URI: /);
  });

  it('keeps failures as errors (non-zero exit), not JSON on stdout', async () => {
    const h = await curationHarness();
    const r = await h.run('workspace', 'remove-sorting', h.uri, 'S-nope', '--json');
    expect(r.out).toEqual([]);
    expect(r.error?.message).toMatch(/No sorting S-nope/);
  });
});
