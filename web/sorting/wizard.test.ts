import { describe, expect, it } from 'vitest';
import { initialWizard, rankBest, similarUnits, wizardStep, type WizardInput } from './wizard';

describe('rankBest', () => {
  it('ranks the unlabelled units by SNR, then spike count, then table order; labelled units are done', () => {
    expect(rankBest([
      { unitId: 1, labels: [], snr: 4, count: 100 },
      { unitId: 2, labels: ['accept'], snr: 20, count: 900 },
      { unitId: 3, labels: [], snr: 9, count: 10 },
      { unitId: 4, labels: [], snr: null, count: 500 }, // a merge group: SNR not computed
      { unitId: 5, labels: [], snr: 4, count: 300 },
      { unitId: 6, labels: [] },
    ])).toEqual([3, 5, 1, 4, 6]);
  });
});

describe('similarUnits', () => {
  const sim: Record<string, number> = { '1,2': 0.5, '1,3': 0.9, '1,4': 0.95, '1,5': NaN, '1,6': 0 };
  const s = (a: number, b: number) => sim[`${a},${b}`] ?? NaN;
  it('lists the most similar first, without the unit itself, masked units, NaN (no spikes) or zero', () => {
    expect(similarUnits(1, [1, 2, 3, 4, 5, 6], s, () => []).map((x) => x.unitId)).toEqual([4, 3, 2]);
    expect(similarUnits(1, [1, 2, 3, 4], s, (u) => (u === 4 ? ['noise'] : u === 3 ? ['accept'] : []))).toEqual([{ unitId: 3, similarity: 0.9 }, { unitId: 2, similarity: 0.5 }]);
  });
});

describe('wizardStep', () => {
  const sims: Record<number, { unitId: number; similarity: number }[]> = {
    3: [{ unitId: 5, similarity: 0.9 }, { unitId: 1, similarity: 0.4 }],
    5: [{ unitId: 3, similarity: 0.9 }],
  };
  const input = (selection: number[], ready = true): WizardInput => ({ selection, ranking: [3, 5, 1], similarTo: ready ? (b) => sims[b] ?? [] : null });

  it('starts with the best unit, then walks its most similar units, each once, then says none remain', () => {
    let r = wizardStep(initialWizard, 'nextSimilar', input([]));
    expect(r.select).toEqual([3]);
    r = wizardStep(r.state, 'nextSimilar', input(r.select!));
    expect(r.select).toEqual([3, 5]);
    r = wizardStep(r.state, 'nextSimilar', input([3, 5]));
    expect(r.select).toEqual([3, 1]);
    r = wizardStep(r.state, 'nextSimilar', input([1, 3]));
    expect(r.select).toBeUndefined();
    expect(r.say).toBe('No more units similar to unit 3 (2 shown). Press b for the next best unit.');
  });

  it('goes back through the similar units shown, then forward again without asking anew', () => {
    let r = wizardStep(initialWizard, 'nextBest', input([]));
    r = wizardStep(r.state, 'nextSimilar', input([3]));
    r = wizardStep(r.state, 'nextSimilar', input([3, 5]));
    r = wizardStep(r.state, 'previousSimilar', input([1, 3]));
    expect(r.select).toEqual([3, 5]);
    r = wizardStep(r.state, 'previousSimilar', input([3, 5]));
    expect(r.select).toEqual([3]);
    expect(wizardStep(r.state, 'previousSimilar', input([3])).say).toBe('No earlier unit similar to unit 3.');
    r = wizardStep(r.state, 'nextSimilar', input([3]));
    expect(r.select).toEqual([3, 5]);
  });

  it('takes the selected unit as the best unit when the user selected another one', () => {
    const r = wizardStep({ ...initialWizard, best: 3 }, 'nextSimilar', input([5]));
    expect(r.select).toEqual([5, 3]);
    expect(r.state.best).toBe(5);
  });

  it('waits for the template similarity', () => {
    const r = wizardStep(initialWizard, 'nextSimilar', input([3], false));
    expect(r).toMatchObject({ waiting: true, state: { best: 3 } });
    expect(r.select).toBeUndefined();
  });

  it('moves to the next best unit not yet shown, and says when every one has been', () => {
    let r = wizardStep(initialWizard, 'nextBest', input([]));
    expect(r.select).toEqual([3]);
    r = wizardStep(r.state, 'nextBest', input([3]));
    expect(r.select).toEqual([5]);
    r = wizardStep(r.state, 'nextBest', input([5]));
    expect(r.select).toEqual([1]);
    r = wizardStep(r.state, 'nextBest', input([1]));
    expect(r.select).toBeUndefined();
    expect(r.say).toContain('All 3 unlabelled units have been shown');
    expect(wizardStep(r.state, 'nextBest', input([1])).select).toEqual([3]);
    expect(wizardStep(initialWizard, 'nextBest', { ...input([]), ranking: [] }).say).toContain('Every displayed unit has a label');
  });
});
