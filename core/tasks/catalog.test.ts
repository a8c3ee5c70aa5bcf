import { describe, expect, it } from 'vitest';
import { findTask, taskFunctionIds } from './catalog';
import { SORTINGVIEW_VERSION } from '../version';
import { DataSource } from '../data/dataSource';

const ctx = { sleep: async () => {}, now: () => 0, data: new DataSource(async () => null) };

const on = { diagnosticTasks: true };

describe('task catalog', () => {
  it('lists versioned ids, sorted, unique', () => {
    const ids = taskFunctionIds(on);
    expect(ids).toContain('sortingview.get_backend_info.1');
    expect(ids).toContain('sortingview.test_sleep.1');
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/\.\d+$/);
  });

  it('get_backend_info answers the version and every id', async () => {
    const t = findTask('sortingview.get_backend_info.1')!;
    expect(t.kind).toBe('query');
    expect(await t.run({}, ctx)).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds() });
    expect(t.kwargs.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('diagnostic tasks are unknown unless turned on, and get_backend_info lists only what is on', async () => {
    for (const id of ['sortingview.test_sleep.1', 'sortingview.test_error.1']) {
      expect(findTask(id)).toBeUndefined();
      expect(taskFunctionIds()).not.toContain(id);
      expect(findTask(id, on)).toBeDefined();
    }
    expect(await findTask('sortingview.get_backend_info.1')!.run({}, ctx)).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds() });
    expect(await findTask('sortingview.get_backend_info.1', on)!.run({}, ctx)).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds(on) });
    expect(taskFunctionIds(on).filter((id) => !taskFunctionIds().includes(id))).toEqual(['sortingview.test_error.1', 'sortingview.test_sleep.1']);
  });

  it('test_sleep validates seconds and sleeps through the context', async () => {
    const t = findTask('sortingview.test_sleep.1', on)!;
    const slept: number[] = [];
    expect(await t.run({ seconds: 0.5 }, { ...ctx, sleep: async (ms) => { slept.push(ms); } })).toEqual({ sleptSeconds: 0.5 });
    expect(slept).toEqual([500]);
    for (const bad of [{}, { seconds: -1 }, { seconds: 61 }, { seconds: '1' }]) expect(t.kwargs.safeParse(bad).success).toBe(false);
  });

  it('knows nothing of unknown ids', () => {
    expect(findTask('sortingview.nope.1')).toBeUndefined();
  });
});

describe('test_error', () => {
  it('fails with its message', async () => {
    await expect(findTask('sortingview.test_error.1', on)!.run({ message: 'on purpose' }, ctx)).rejects.toThrow('on purpose');
  });
});
