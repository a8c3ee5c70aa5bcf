// Operation counts by GCS price class (https://cloud.google.com/storage/pricing#operations-by-class),
// so tests and benchmarks can assert what a flow would cost. GCS does not charge for requests that
// end in 307, 4xx or 5xx, so server.ts records an operation only when it succeeded.
// A resumable upload is one Class A operation (counted when the session is created); its chunk
// PUTs are not counted separately.

export type PriceClass = 'classA' | 'classB' | 'free';

const CLASS_OF: Record<string, PriceClass> = {
  'buckets.insert': 'classA',
  'buckets.list': 'classA',
  'buckets.get': 'classB',
  // Not on the pricing page; a read of bucket metadata, counted like buckets.get.
  'buckets.getStorageLayout': 'classB',
  'buckets.delete': 'free',
  'objects.insert': 'classA',
  'objects.list': 'classA',
  'objects.patch': 'classA',
  'objects.update': 'classA',
  'objects.copy': 'classA',
  'objects.rewrite': 'classA',
  'objects.get': 'classB', // metadata (alt=json)
  'objects.get.media': 'classB', // JSON API download (alt=media)
  'xml.getObject': 'classB', // https://storage.googleapis.com/<bucket>/<object>
  'objects.delete': 'free',
};

export function priceClassOf(op: string): PriceClass {
  const cls = CLASS_OF[op];
  if (!cls) throw new Error(`Unknown storage operation "${op}": add it to CLASS_OF in emulator/storage/counters.ts.`);
  return cls;
}

export interface CountersSnapshot {
  classA: number;
  classB: number;
  free: number;
  byOp: Record<string, number>;
}

export class Counters {
  private byOp: Record<string, number> = {};
  private totals = { classA: 0, classB: 0, free: 0 };

  record(op: string): void {
    this.totals[priceClassOf(op)]++;
    this.byOp[op] = (this.byOp[op] ?? 0) + 1;
  }

  snapshot(): CountersSnapshot {
    return { ...this.totals, byOp: { ...this.byOp } };
  }

  reset(): void {
    this.byOp = {};
    this.totals = { classA: 0, classB: 0, free: 0 };
  }
}
