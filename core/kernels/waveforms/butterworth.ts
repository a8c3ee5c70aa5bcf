/**
 * Butterworth band-pass design as second-order sections, step for step as
 * `scipy.signal.butter(order, [lo, hi], btype='bandpass', fs=fs, output='sos')` computes it
 * (buttap → lp2bp_zpk → bilinear_zpk → zpk2sos with 'nearest' pairing), so our coefficients, and the
 * order of the sections, match scipy's. Sections are rows of [b0, b1, b2, 1, a1, a2], the gain in
 * section 0, the poles nearest the unit circle last.
 */

interface Cx { re: number; im: number }
const cx = (re: number, im = 0): Cx => ({ re, im });
const add = (a: Cx, b: Cx): Cx => cx(a.re + b.re, a.im + b.im);
const sub = (a: Cx, b: Cx): Cx => cx(a.re - b.re, a.im - b.im);
const mul = (a: Cx, b: Cx): Cx => cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const conj = (a: Cx): Cx => cx(a.re, -a.im);
const abs = (a: Cx): number => Math.hypot(a.re, a.im);
const isReal = (a: Cx): boolean => a.im === 0;

/** Smith's algorithm, as numpy divides complex numbers. */
function div(a: Cx, b: Cx): Cx {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const rat = b.im / b.re;
    const scl = 1 / (b.re + b.im * rat);
    return cx((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl);
  }
  const rat = b.re / b.im;
  const scl = 1 / (b.im + b.re * rat);
  return cx((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl);
}

/** Principal square root. */
function sqrt(a: Cx): Cx {
  if (a.im === 0) return a.re >= 0 ? cx(Math.sqrt(a.re), a.im) : cx(0, Math.sign(1 / a.im) * Math.sqrt(-a.re));
  const r = abs(a);
  if (a.re >= 0) {
    const t = Math.sqrt((r + a.re) / 2);
    return cx(t, a.im / (2 * t));
  }
  const t = Math.sqrt((r - a.re) / 2);
  return cx(Math.abs(a.im) / (2 * t), Math.sign(a.im) * t);
}

/** Digital Butterworth band-pass [freqMinHz, freqMaxHz] of prototype order `order` (2·order poles). */
export function butterBandpassSos(order: number, freqMinHz: number, freqMaxHz: number, sampleRateHz: number): Float64Array {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`butterBandpassSos: order must be a positive integer, got ${order}`);
  if (!(freqMinHz > 0 && freqMinHz < freqMaxHz && freqMaxHz < sampleRateHz / 2)) {
    throw new RangeError(`butterBandpassSos: need 0 < ${freqMinHz} < ${freqMaxHz} < fs/2 = ${sampleRateHz / 2} Hz`);
  }
  // Pre-warp the band edges for the bilinear transform (scipy normalises to fs = 2).
  const w1 = 4 * Math.tan((Math.PI * (2 * freqMinHz / sampleRateHz)) / 2);
  const w2 = 4 * Math.tan((Math.PI * (2 * freqMaxHz / sampleRateHz)) / 2);
  const bw = w2 - w1;
  const wo = Math.sqrt(w1 * w2);
  // Analog low-pass prototype (buttap): poles on the left unit half-circle, the middle one exactly real.
  const proto: Cx[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const th = (Math.PI * m) / (2 * order);
    proto.push(cx(-Math.cos(th), m === 0 ? -0 : -Math.sin(th)));
  }
  // lp2bp_zpk: each pole becomes two, shifted to ±wo; `order` zeros land at the origin.
  const lp = proto.map((p) => cx((p.re * bw) / 2, (p.im * bw) / 2));
  const shifts = lp.map((p) => sqrt(sub(mul(p, p), cx(wo * wo))));
  const poles = [...lp.map((p, i) => add(p, shifts[i])), ...lp.map((p, i) => sub(p, shifts[i]))];
  // bilinear_zpk with fs = 2: s → (4 + s)/(4 − s); zeros at 0 map to +1, zeros at ∞ to −1.
  const zPoles = poles.map((p) => div(add(cx(4), p), sub(cx(4), p)));
  let den = cx(1);
  for (const p of poles) den = mul(den, sub(cx(4), p));
  const k = bw ** order * div(cx(4 ** order), den).re;
  const zeros = [...Array<Cx>(order).fill(cx(1)), ...Array<Cx>(order).fill(cx(-1))];
  return zpk2sos(zeros, zPoles, k);
}

/** scipy's `_cplxreal`: one of each conjugate pair (positive imaginary part) sorted by real part, then the reals. */
function cplxreal(z: Cx[]): Cx[] {
  const tol = 100 * Number.EPSILON;
  const sorted = [...z].sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const reals = sorted.filter((a) => Math.abs(a.im) <= tol * abs(a)).map((a) => cx(a.re));
  const rest = sorted.filter((a) => Math.abs(a.im) > tol * abs(a));
  const pos = rest.filter((a) => a.im > 0);
  const neg = rest.filter((a) => a.im < 0);
  if (pos.length !== neg.length) throw new Error('cplxreal: a complex root has no conjugate');
  sortRuns(pos, tol);
  sortRuns(neg, tol);
  return [...pos.map((p, i) => cx((p.re + neg[i].re) / 2, (p.im - neg[i].im) / 2)), ...reals];
}

/** Within runs of (nearly) equal real part, order by |imaginary part|. */
function sortRuns(a: Cx[], tol: number): void {
  let start = 0;
  for (let i = 1; i <= a.length; i++) {
    if (i === a.length || !(a[i].re - a[i - 1].re <= tol * abs(a[i - 1]))) {
      const run = a.slice(start, i).sort((x, y) => Math.abs(x.im) - Math.abs(y.im));
      a.splice(start, run.length, ...run);
      start = i;
    }
  }
}

function argsortBy(xs: Cx[], key: (x: Cx) => number): number[] {
  return xs.map((_, i) => i).sort((i, j) => key(xs[i]) - key(xs[j]) || i - j);
}

/** scipy's `_nearest_real_complex_idx`. */
function nearest(from: Cx[], to: Cx, which: 'real' | 'complex' | 'any'): number {
  const order = argsortBy(from, (z) => abs(sub(z, to)));
  if (which === 'any') return order[0];
  const idx = order.find((i) => isReal(from[i]) === (which === 'real'));
  if (idx === undefined) throw new Error(`zpk2sos: no ${which} zero left`);
  return idx;
}

/** Second-order section [b0 b1 b2 1 a1 a2] of the given roots (≤ 2 each), right-aligned like scipy. */
function section(zs: Cx[], ps: Cx[]): number[] {
  const poly = (roots: Cx[]) => {
    let c: Cx[] = [cx(1)];
    for (const r of roots) c = [...c, cx(0)].map((v, i) => (i === 0 ? v : sub(v, mul(c[i - 1], r))));
    return c.map((v) => v.re);
  };
  const b = poly(zs);
  const a = poly(ps);
  return [...Array(3 - b.length).fill(0), ...b, ...Array(3 - a.length).fill(0), ...a];
}

/** scipy's `zpk2sos` for a digital filter with pairing 'nearest'. */
function zpk2sos(zeros: Cx[], poles: Cx[], k: number): Float64Array {
  let z = [...zeros];
  let p = [...poles];
  while (z.length < p.length) z.push(cx(0));
  while (p.length < z.length) p.push(cx(0));
  const nSections = Math.floor((p.length + 1) / 2);
  if (p.length % 2 === 1) { p.push(cx(0)); z.push(cx(0)); }
  z = cplxreal(z);
  p = cplxreal(p);
  const worst = (xs: Cx[]) => argsortBy(xs, (x) => Math.abs(1 - abs(x)))[0];
  const take = (xs: Cx[], i: number) => xs.splice(i, 1)[0];
  const sos = new Float64Array(nSections * 6);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, worst(p));
    let row: number[];
    if (isReal(p1) && !p.some(isReal)) {
      // The last real pole: pair it with the nearest real zero.
      row = section([take(z, nearest(z, p1, 'real')), cx(0)], [p1, cx(0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && p.filter(isReal).length === 1 && z.filter(isReal).length === 1) {
      // One real pole and one real zero left: this complex pole must take a complex zero.
      const z1 = take(z, nearest(z, p1, 'complex'));
      row = section([z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Cx;
      if (isReal(p1)) {
        const realIdx = p.map((x, i) => (isReal(x) ? i : -1)).filter((i) => i >= 0);
        p2 = take(p, realIdx[worst(realIdx.map((i) => p[i]))]);
      } else {
        p2 = conj(p1);
      }
      if (z.length > 0) {
        const z1 = take(z, nearest(z, p1, 'any'));
        if (!isReal(z1)) row = section([z1, conj(z1)], [p1, p2]);
        else if (z.length > 0) row = section([z1, take(z, nearest(z, p1, 'real'))], [p1, p2]);
        else row = section([z1], [p1, p2]);
      } else {
        row = section([], [p1, p2]);
      }
    }
    sos.set(row, si * 6);
  }
  for (let j = 0; j < 3; j++) sos[j] *= k;
  return sos;
}
