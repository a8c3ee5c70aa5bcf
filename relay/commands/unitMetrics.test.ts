import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../core/feeds';
import { registryCheck } from '../../core/tasks/dataKwargs';
import { curationHarness } from './testing';

describe('workspace set-unit-metrics', () => {
  it('checks the file, stores and registers it in the exact form printed, and sets it for the sorting', async () => {
    const h = await curationHarness();
    const metrics = [{ name: 'isi', label: 'ISI viol.', tooltip: 'fraction', data: { 1: 0.5, 2: null } }];
    writeFileSync(join(h.dir, 'metrics.json'), JSON.stringify(metrics));
    const r = await h.run('workspace', 'set-unit-metrics', h.uri, 'metrics.json', '--sorting-id', h.sortingId);
    expect(r.error).toBeNull();
    const uri = r.out.find((l) => l.startsWith('Unit metrics URI: '))!.slice('Unit metrics URI: '.length);
    expect(uri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/metrics\.json$/);
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    expect(state.sortings.find((s) => s.sortingId === h.sortingId)!.unitMetricsUri).toBe(uri);
    // The API, the worker and the relay accept exactly that URI for this backend, and no variant of it.
    const registered = registryCheck((p) => h.stores.private.exists(p));
    expect(await registered('mylab', uri)).toBe(true);
    expect(await registered('mylab', uri.replace('metrics.json', 'other.json'))).toBe(false);
    expect(await registered('otherlab', uri)).toBe(false);
  });

  it('refuses an unknown sorting and a file that is not unit metrics, saying why; nothing is registered', async () => {
    const h = await curationHarness();
    writeFileSync(join(h.dir, 'good.json'), JSON.stringify([{ name: 'm', label: 'M', data: { 1: 1 } }]));
    writeFileSync(join(h.dir, 'bad.json'), JSON.stringify([{ name: 'm', data: { x: 'high' } }]));
    writeFileSync(join(h.dir, 'notjson.json'), '{');
    const unknown = await h.run('workspace', 'set-unit-metrics', h.uri, 'good.json', '--sorting-id', 'S-000000000000');
    expect(unknown.error?.message).toMatch(/No sorting S-000000000000 in this workspace/);
    const bad = await h.run('workspace', 'set-unit-metrics', h.uri, 'bad.json', '--sorting-id', h.sortingId);
    expect(bad.error?.message).toMatch(/is not a unit metrics file .*0\.label/);
    const notJson = await h.run('workspace', 'set-unit-metrics', h.uri, 'notjson.json', '--sorting-id', h.sortingId);
    expect(notJson.error?.message).toMatch(/is not JSON/);
    const missing = await h.run('workspace', 'set-unit-metrics', h.uri, 'nope.json', '--sorting-id', h.sortingId);
    expect(missing.error?.message).toMatch(/No such file/);
    expect([...h.stores.private.objects.keys()].filter((k) => k.startsWith('objects/'))).toEqual([]);
  });
});
