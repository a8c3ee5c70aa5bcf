import { drawTraces } from './drawTraces';
import type { DrawRequest, DrawStats, FromWorker, SegmentData, ToWorker } from './WorkerTypes';

/**
 * The main thread's side of the traces worker: sends each segment once, coalesces draw requests
 * (only the latest pending one is drawn), and blits the returned bitmap into the visible canvas.
 * Without workers (or if the worker fails to load) it draws on the main thread instead.
 */
export const MAX_SEGMENTS_KEPT = 96;

export class TracesRenderer {
  private worker: Worker | null = null;
  private segments = new Map<string, SegmentData>();
  private nextId = 1;
  private inFlight = false;
  private queued: { req: DrawRequest; canvas: HTMLCanvasElement } | null = null;
  private current: { id: number; canvas: HTMLCanvasElement } | null = null;
  private last: { req: DrawRequest; canvas: HTMLCanvasElement } | null = null;
  onDrawn: ((stats: DrawStats) => void) | null = null;
  onError: ((message: string) => void) | null = null;

  constructor() {
    try {
      this.worker = new Worker(new URL('./traces-worker.js', import.meta.url), { type: 'module', name: 'sortingview-traces' });
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.onMessage(e.data);
      this.worker.onerror = (e) => {
        e.preventDefault();
        this.fallBack();
      };
    } catch {
      this.worker = null;
    }
  }

  get usesWorker(): boolean {
    return this.worker !== null;
  }

  has(key: string): boolean {
    return this.segments.has(key);
  }

  addSegment(seg: SegmentData): void {
    if (this.segments.has(seg.key)) return;
    this.segments.set(seg.key, seg);
    this.post({ type: 'segment', segment: seg });
    if (this.segments.size > MAX_SEGMENTS_KEPT) {
      const drop = [...this.segments.keys()].slice(0, this.segments.size - MAX_SEGMENTS_KEPT);
      for (const k of drop) this.segments.delete(k);
      this.post({ type: 'forget', keys: drop });
    }
  }

  draw(req: DrawRequest, canvas: HTMLCanvasElement): void {
    if (this.inFlight) {
      this.queued = { req, canvas };
      return;
    }
    this.start(req, canvas);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.segments.clear();
  }

  private post(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  private start(req: DrawRequest, canvas: HTMLCanvasElement): void {
    this.last = { req, canvas };
    const w = Math.max(1, Math.round(req.width * req.dpr));
    const h = Math.max(1, Math.round(req.height * req.dpr));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    if (!this.worker) {
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(req.dpr, 0, 0, req.dpr, 0, 0);
      try {
        this.onDrawn?.(drawTraces(ctx, req, this.segments));
      } catch (err) {
        this.onError?.((err as Error).message);
      }
      return;
    }
    const id = this.nextId++;
    this.inFlight = true;
    this.current = { id, canvas };
    this.post({ type: 'draw', id, request: req });
  }

  private onMessage(msg: FromWorker): void {
    if (this.current && msg.id === this.current.id) {
      if (msg.type === 'drawn') {
        const ctx = this.current.canvas.getContext('2d');
        if (ctx) {
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.drawImage(msg.bitmap, 0, 0);
        }
        msg.bitmap.close();
        this.onDrawn?.(msg.stats);
      } else {
        this.onError?.(msg.message);
      }
    }
    this.inFlight = false;
    const next = this.queued;
    this.queued = null;
    if (next) this.start(next.req, next.canvas);
  }

  private fallBack(): void {
    this.worker?.terminate();
    this.worker = null;
    this.inFlight = false;
    const next = this.queued ?? this.last;
    this.queued = null;
    this.current = null;
    if (next) this.start(next.req, next.canvas);
  }
}
