/**
 * A correlogram as bars in the box (x, y, w, h): bin centres in ms on x (symmetric around 0), counts
 * on y scaled to the largest bin. A faint line marks 0 ms; `axis` adds the ±ms labels below.
 */
export function drawCorrelogram(ctx: CanvasRenderingContext2D, box: { x: number; y: number; w: number; h: number },
  binsMs: ArrayLike<number>, counts: ArrayLike<number>, color: string, axis = false): void {
  const n = counts.length;
  if (!n) return;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, counts[i]);
  const labelH = axis ? 12 : 0;
  const plotH = box.h - labelH;
  const bw = box.w / n;
  ctx.fillStyle = color;
  for (let i = 0; i < n; i++) {
    const bh = max > 0 ? (counts[i] / max) * (plotH - 2) : 0;
    ctx.fillRect(box.x + i * bw, box.y + plotH - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
  }
  ctx.strokeStyle = 'rgba(0,0,0,0.25)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(box.x, box.y + plotH + 0.5);
  ctx.lineTo(box.x + box.w, box.y + plotH + 0.5);
  ctx.moveTo(box.x + box.w / 2, box.y);
  ctx.lineTo(box.x + box.w / 2, box.y + plotH);
  ctx.stroke();
  if (axis && n > 0) {
    ctx.fillStyle = '#5b6675';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    // Bin centres run symmetrically around 0: label the window by its half-width.
    const half = Math.round(Math.max(Math.abs(binsMs[0]), Math.abs(binsMs[n - 1])));
    ctx.textAlign = 'left';
    ctx.fillText(`−${half} ms`, box.x, box.y + plotH + 1);
    ctx.textAlign = 'right';
    ctx.fillText(`+${half} ms`, box.x + box.w, box.y + plotH + 1);
    ctx.textAlign = 'center';
    ctx.fillText(`max ${max}`, box.x + box.w / 2, box.y + plotH + 1);
  }
}
