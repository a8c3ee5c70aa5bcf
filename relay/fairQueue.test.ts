import { describe, expect, it } from 'vitest';
import { createFairQueue } from './fairQueue';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('fair queue', () => {
  it('serves lanes in turn: a job of a second key waits for one job per slot, not for the whole backlog', async () => {
    const q = createFairQueue(2);
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    const job = (name: string) => () => new Promise<string>((resolve) => { order.push(name); releases.set(name, () => resolve(name)); });
    const release = (name: string) => { releases.get(name)!(); releases.delete(name); };
    const flood = Array.from({ length: 50 }, (_, i) => q.run('flooder', job(`f${i}`)));
    const victim = q.run('victim', job('v'));
    await tick();
    expect(order).toEqual(['f0', 'f1']); // both slots busy with the flood
    expect(q.waiting()).toEqual(new Map([['flooder', 48], ['victim', 1]]));
    release('f0'); // f0 done: the next turn is the victim's, though 48 jobs of the flood were first
    await tick();
    expect(order).toEqual(['f0', 'f1', 'v']);
    release('v');
    await expect(victim).resolves.toBe('v');
    while (releases.size) { release([...releases.keys()][0]); await tick(); }
    expect((await Promise.all(flood)).length).toBe(50);
    expect(order.filter((n) => n.startsWith('f'))).toEqual(Array.from({ length: 50 }, (_, i) => `f${i}`)); // FIFO within a lane
  });

  it('never runs more than its slots, and a failing job frees its slot', async () => {
    const q = createFairQueue(3);
    let now = 0;
    let peak = 0;
    const jobs = Array.from({ length: 30 }, (_, i) => q.run(`k${i % 4}`, async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 1));
      now--;
      if (i % 7 === 0) throw new Error(`job ${i} failed`);
      return i;
    }));
    const settled = await Promise.allSettled(jobs);
    expect(peak).toBe(3);
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(5);
    expect(q.waiting().size).toBe(0);
  });
});
