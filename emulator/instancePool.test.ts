import { describe, expect, it } from 'vitest';
import { InstancePool } from './instancePool';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
};

describe('InstancePool: the worker instances as Cloud Functions runs them', () => {
  it('a second request goes to the idle instance, not behind the busy one', async () => {
    const pool = new InstancePool(['http://a', 'http://b']);
    const heavy = deferred();
    const seen: string[] = [];
    const first = pool.use(async (url) => { seen.push(url); await heavy.promise; });
    const light = await pool.use(async (url) => { seen.push(url); return 'done'; });
    expect(light).toBe('done'); // answered while the heavy one still runs
    expect(seen).toEqual(['http://a', 'http://b']);
    heavy.resolve();
    await first;
    expect(pool.load()).toEqual({ busy: [0, 0], waiting: 0 });
  });

  it('with every slot taken, requests wait and are served first come first served', async () => {
    const pool = new InstancePool(['http://a'], 1);
    const gate = deferred();
    const order: number[] = [];
    const running = pool.use(async () => { await gate.promise; order.push(0); });
    const queued = [1, 2, 3].map((n) => pool.use(async () => { order.push(n); }));
    expect(pool.load()).toEqual({ busy: [1], waiting: 3 });
    gate.resolve();
    await Promise.all([running, ...queued]);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(pool.load()).toEqual({ busy: [0], waiting: 0 });
  });

  it('frees the slot when the request fails', async () => {
    const pool = new InstancePool(['http://a']);
    await expect(pool.use(async () => { throw new Error('connection refused'); })).rejects.toThrow('connection refused');
    expect(pool.load()).toEqual({ busy: [0], waiting: 0 });
    expect(await pool.use(async (u) => u)).toBe('http://a');
  });

  it('spreads load over instances with more than one slot each', async () => {
    const pool = new InstancePool(['http://a', 'http://b'], 2);
    const gate = deferred();
    const urls: string[] = [];
    const all = [0, 1, 2, 3].map(() => pool.use(async (u) => { urls.push(u); await gate.promise; }));
    await new Promise((r) => setTimeout(r, 0));
    expect(urls.sort()).toEqual(['http://a', 'http://a', 'http://b', 'http://b']);
    expect(pool.load()).toEqual({ busy: [2, 2], waiting: 0 });
    gate.resolve();
    await Promise.all(all);
  });

  it('refuses an empty pool or a concurrency below 1', () => {
    expect(() => new InstancePool([])).toThrow(/at least one instance/);
    expect(() => new InstancePool(['http://a'], 0)).toThrow(/concurrency/);
  });
});
