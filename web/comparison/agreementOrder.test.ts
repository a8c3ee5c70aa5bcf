import { describe, expect, it } from 'vitest';
import { agreementColor, agreementOrder } from './agreementOrder';

describe('agreementOrder (SpikeInterface get_ordered_agreement_scores)', () => {
  it('rows by best score, highest first; matched columns down the diagonal; untaken columns last', () => {
    // rows a0..a2, cols b0..b3
    const s = [
      0.1, 0.0, 0.6, 0.0, // a0 best 0.6 → b2
      0.0, 0.0, 0.0, 0.9, // a1 best 0.9 → b3
      0.2, 0.0, 0.3, 0.0, // a2 best 0.3: b2 is taken, so b0 (0.2)
    ];
    expect(agreementOrder(s, 3, 4)).toEqual({ rows: [1, 0, 2], cols: [3, 2, 0, 1] });
  });

  it('ties: the later row first (a stable sort reversed); more rows than columns', () => {
    const s = [0.5, 0, 0.5, 0, 0, 0];
    expect(agreementOrder(s, 3, 2)).toEqual({ rows: [1, 0, 2], cols: [0, 1] });
  });

  it('colours run from white to dark blue, clamped', () => {
    expect(agreementColor(0)).toBe('rgb(255, 255, 255)');
    expect(agreementColor(1)).toBe('rgb(8, 48, 107)');
    expect(agreementColor(7)).toBe(agreementColor(1));
    expect(agreementColor(NaN)).toBe(agreementColor(0));
  });
});
