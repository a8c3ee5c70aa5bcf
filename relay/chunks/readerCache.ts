/**
 * Open readers kept for reuse (one view asks for many chunks of the same recording), at most
 * `capacity` of them, least recently used out. A reader is used through a lease: eviction takes it out
 * of the cache at once, but closes it only when its last lease is released. Closing on eviction closed
 * readers that concurrent requests were still reading ("file closed"), and that failure, written as an
 * error chunk, broke the view for everyone.
 */
export interface Lease<T> {
  value: T;
  /** Idempotent. */
  release(): void;
}

interface Entry<T> {
  key: string;
  value: Promise<T>;
  leases: number;
  retired: boolean;
}

export function createReaderCache<T extends { close(): Promise<void> }>(open: (key: string) => Promise<T>, capacity: number) {
  const entries = new Map<string, Entry<T>>(); // most recently used last
  const stats = { opened: 0, closed: 0 };

  const closeIfIdle = (e: Entry<T>): Promise<void> => {
    if (!e.retired || e.leases > 0) return Promise.resolve();
    return e.value.then((v) => v.close().then(() => { stats.closed++; }), () => {}).catch(() => {});
  };
  const retire = (e: Entry<T>): Promise<void> => {
    if (entries.get(e.key) === e) entries.delete(e.key);
    e.retired = true;
    return closeIfIdle(e);
  };
  const evict = (keep: Entry<T>) => {
    while (entries.size > Math.max(1, capacity)) {
      // Idle readers go first; when all are in use, the oldest leaves the cache and closes once released.
      const others = [...entries.values()].filter((e) => e !== keep);
      const victim = others.find((e) => e.leases === 0) ?? others[0];
      void retire(victim);
    }
  };

  return {
    /** A lease on the reader for `key`, opening it when not cached. Failed opens are never cached: the file may be fixed. */
    async acquire(key: string): Promise<Lease<T>> {
      let e = entries.get(key);
      if (e) {
        entries.delete(key);
        entries.set(key, e);
      } else {
        const entry: Entry<T> = { key, value: open(key), leases: 0, retired: false };
        stats.opened++;
        entry.value.catch(() => { if (entries.get(key) === entry) entries.delete(key); });
        entries.set(key, entry);
        e = entry;
        evict(entry);
      }
      const entry = e;
      entry.leases++; // before any await: an eviction meanwhile sees the reader in use
      let value: T;
      try {
        value = await entry.value;
      } catch (err) {
        entry.leases--;
        throw err;
      }
      let released = false;
      return {
        value,
        release() {
          if (released) return;
          released = true;
          entry.leases--;
          void closeIfIdle(entry);
        },
      };
    },
    /** Drops the cached reader of `key` (it failed under a read): the next request opens it afresh. */
    invalidate(key: string): void {
      const e = entries.get(key);
      if (e) void retire(e);
    },
    /** Retires every reader: idle ones are closed now, the others once their leases are released. */
    async close(): Promise<void> {
      await Promise.all([...entries.values()].map(retire));
    },
    stats: () => ({ ...stats, cached: entries.size }),
  };
}
