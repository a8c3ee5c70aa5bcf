/**
 * Round-robin work queue: jobs wait in one lane per key (a caller, else a task), and each free slot
 * goes to the next lane in turn, so a key with a thousand jobs waiting delays another key's job by at
 * most one job per busy lane, never by its whole backlog (issue 14: one caller flooding the relay
 * with requests starved everyone on the relay's 4 slots).
 *
 * A job that finds it must wait for other jobs (a pyramid tile whose children are missing) returns
 * without holding its slot and queues them under its own key: waiting never blocks a slot.
 */
export interface FairQueue {
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Jobs waiting (not running), by key; for logs and tests. */
  waiting(): Map<string, number>;
}

export function createFairQueue(slots: number): FairQueue {
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`fair queue: slots must be a positive integer, got ${slots}`);
  const lanes = new Map<string, (() => void)[]>();
  /** When each key was last given a slot: the next slot goes to the waiting key served longest ago (never = first). */
  const lastServed = new Map<string, number>();
  let turn = 0;
  let running = 0;

  const next = () => {
    while (running < slots && lanes.size) {
      let pick: string | undefined;
      let oldest = Infinity;
      for (const key of lanes.keys()) {
        const t = lastServed.get(key) ?? -1;
        if (t < oldest) { oldest = t; pick = key; }
      }
      const lane = lanes.get(pick!)!;
      const start = lane.shift()!;
      if (!lane.length) lanes.delete(pick!);
      lastServed.delete(pick!);
      lastServed.set(pick!, turn++); // most recent last, so the oldest entries are the ones forgotten
      if (lastServed.size > 10_000) for (const key of lastServed.keys()) { if (!lanes.has(key)) { lastServed.delete(key); break; } }
      running++;
      start();
    }
  };

  return {
    run<T>(key: string, job: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          job().then(resolve, reject).finally(() => {
            running--;
            next();
          });
        };
        const lane = lanes.get(key);
        if (lane) lane.push(start);
        else lanes.set(key, [start]);
        next();
      });
    },
    waiting: () => new Map([...lanes].map(([k, l]) => [k, l.length])),
  };
}
