/// <reference lib="webworker" />
import { drawTraces } from './drawTraces';
import type { FromWorker, SegmentData, ToWorker } from './WorkerTypes';

/**
 * The traces view's drawing worker: keeps the segments it was sent and draws requests into an
 * OffscreenCanvas, returning an ImageBitmap (the main thread only blits it), so drawing hundreds
 * of channels never blocks scrolling or clicks.
 */
const segments = new Map<string, SegmentData>();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'segment') {
    segments.set(msg.segment.key, msg.segment);
  } else if (msg.type === 'forget') {
    for (const k of msg.keys) segments.delete(k);
  } else if (msg.type === 'draw') {
    const { request: req, id } = msg;
    try {
      const canvas = new OffscreenCanvas(Math.max(1, Math.round(req.width * req.dpr)), Math.max(1, Math.round(req.height * req.dpr)));
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('OffscreenCanvas 2d context unavailable');
      ctx.scale(req.dpr, req.dpr);
      const stats = drawTraces(ctx, req, segments);
      const bitmap = canvas.transferToImageBitmap();
      const out: FromWorker = { type: 'drawn', id, bitmap, stats };
      scope.postMessage(out, [bitmap]);
    } catch (err) {
      const out: FromWorker = { type: 'error', id, message: (err as Error).message };
      scope.postMessage(out);
    }
  }
};
