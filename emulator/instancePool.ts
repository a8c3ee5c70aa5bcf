/**
 * The worker's instances as Cloud Functions gen2 runs them (terraform/functions.tf: concurrency 1 per
 * instance): a request goes to an instance with a free slot, the least busy first; when every slot is
 * taken it waits, first come first served, as requests wait for an instance in Cloud Run. So a light task
 * (an autocorrelogram) never queues behind a heavy one (the units table) while another instance is free,
 * and each instance's CPU is one task's, as in production.
 */
export class InstancePool {
  private readonly busy: number[];
  private readonly waiting: ((index: number) => void)[] = [];

  constructor(readonly urls: readonly string[], private readonly concurrency = 1) {
    if (!urls.length) throw new Error('An instance pool needs at least one instance');
    if (!(concurrency >= 1)) throw new Error(`concurrency must be at least 1, not ${concurrency}`);
    this.busy = urls.map(() => 0);
  }

  /** Runs `f` on an instance's URL once a slot is free; the slot is freed when `f` settles. */
  async use<T>(f: (url: string) => Promise<T>): Promise<T> {
    const index = await this.acquire();
    try {
      return await f(this.urls[index]);
    } finally {
      this.release(index);
    }
  }

  /** Requests in flight per instance, and how many wait for a slot. */
  load(): { busy: number[]; waiting: number } {
    return { busy: [...this.busy], waiting: this.waiting.length };
  }

  private acquire(): Promise<number> {
    let best = -1;
    for (let i = 0; i < this.busy.length; i++) if (this.busy[i] < this.concurrency && (best < 0 || this.busy[i] < this.busy[best])) best = i;
    if (best >= 0) {
      this.busy[best]++;
      return Promise.resolve(best);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(index: number): void {
    const next = this.waiting.shift();
    // The freed slot passes straight to the longest waiter (it stays counted as busy).
    if (next) next(index);
    else this.busy[index]--;
  }
}
