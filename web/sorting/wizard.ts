/**
 * phy's wizard, pure: first the best unit (the clearest unit nobody has labelled yet), then, with it
 * selected, the units most similar to it (template similarity), one at a time, each not yet shown
 * with it; back with "previous"; then the next best unit.
 *
 * phy's "best" is the cluster view's first row that is not noise/mua (its default sort: most spikes
 * first). Here the best units are the displayed units without any label, highest SNR first (most
 * spikes first among equal or unknown SNRs, then the table's order): the units table's default sort
 * is by id, which says nothing about quality. Similar units skip the units labelled noise, mua,
 * reject or artifact, as phy's similarity view skips its masked (noise, mua) clusters.
 */
export const MASKED_LABELS: readonly string[] = ['noise', 'mua', 'reject', 'artifact'];

export interface RankedUnit { unitId: number; labels: readonly string[]; snr?: number | null; count?: number | null }

/** Unlabelled units, best first: SNR descending, then spike count descending, then input order. */
export function rankBest(units: readonly RankedUnit[]): number[] {
  const val = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? -Infinity : v);
  return units.map((u, i) => ({ u, i })).filter(({ u }) => u.labels.length === 0)
    .sort((a, b) => val(b.u.snr) - val(a.u.snr) || val(b.u.count) - val(a.u.count) || a.i - b.i)
    .map(({ u }) => u.unitId);
}

export interface SimilarUnit { unitId: number; similarity: number }

/** The candidates most similar to `best` first (ties: input order); not `best`, not masked, similarity finite and > 0. */
export function similarUnits(best: number, candidates: readonly number[], similarity: (a: number, b: number) => number, labelsOf: (u: number) => readonly string[]): SimilarUnit[] {
  return candidates.map((unitId, i) => ({ unitId, i, similarity: unitId === best ? NaN : similarity(best, unitId) }))
    .filter((c) => Number.isFinite(c.similarity) && c.similarity > 0 && !labelsOf(c.unitId).some((l) => MASKED_LABELS.includes(l)))
    .sort((a, b) => b.similarity - a.similarity || a.i - b.i)
    .map(({ unitId, similarity }) => ({ unitId, similarity }));
}

export interface WizardState {
  best: number | null;
  /** The similar units shown with `best`, in the order shown, and which of them is selected (-1: none). */
  shown: SimilarUnit[];
  at: number;
  /** The best units shown in this round (the next best is the first ranked unit not among them). */
  bestsShown: number[];
}

export const initialWizard: WizardState = { best: null, shown: [], at: -1, bestsShown: [] };

export type WizardCommand = 'nextBest' | 'nextSimilar' | 'previousSimilar';

export interface WizardInput {
  /** The selected units (as the selection holds them). */
  selection: readonly number[];
  /** rankBest over the displayed units. */
  ranking: readonly number[];
  /** The displayed units most similar to a unit (similarUnits), null while the template similarity is computing. */
  similarTo: ((best: number) => SimilarUnit[]) | null;
}

export interface WizardStep {
  state: WizardState;
  /** The selection to make (absent: leave it). */
  select?: number[];
  say?: string;
  /** The command needs the template similarity: run it again when it arrives. */
  waiting?: boolean;
}

/** The wizard's best unit for this selection: its own while selected, else the (first) selected unit. */
export function currentBest(s: WizardState, selection: readonly number[]): number | null {
  if (s.best !== null && selection.includes(s.best)) return s.best;
  return selection.length ? selection[0] : null;
}

export function wizardStep(s: WizardState, cmd: WizardCommand, input: WizardInput): WizardStep {
  if (cmd === 'nextBest' || (cmd === 'nextSimilar' && !input.selection.length)) {
    const next = input.ranking.find((u) => u !== s.best && !s.bestsShown.includes(u));
    if (next === undefined) {
      if (!input.ranking.length) return { state: s, say: 'Every displayed unit has a label: the wizard has no best unit left.' };
      return { state: { ...s, bestsShown: [] }, say: `All ${input.ranking.length} unlabelled units have been shown as best units; press b to start again from the best.` };
    }
    return { state: { best: next, shown: [], at: -1, bestsShown: [...s.bestsShown, next] }, select: [next] };
  }
  const best = currentBest(s, input.selection)!;
  const st: WizardState = best === s.best ? s : { best, shown: [], at: -1, bestsShown: s.bestsShown.includes(best) ? s.bestsShown : [...s.bestsShown, best] };
  if (cmd === 'previousSimilar') {
    if (st.at < 0) return { state: st, say: `No earlier unit similar to unit ${best}.` };
    const at = st.at - 1;
    return { state: { ...st, at }, select: at < 0 ? [best] : [best, st.shown[at].unitId] };
  }
  if (st.at < st.shown.length - 1) {
    const at = st.at + 1;
    return { state: { ...st, at }, select: [best, st.shown[at].unitId] };
  }
  if (!input.similarTo) return { state: st, waiting: true, say: 'Computing the template similarity for the wizard…' };
  const seen = new Set(st.shown.map((x) => x.unitId));
  const next = input.similarTo(best).find((x) => !seen.has(x.unitId));
  if (!next) {
    return { state: st, say: `No more units similar to unit ${best}${st.shown.length ? ` (${st.shown.length} shown)` : ''}. Press b for the next best unit.` };
  }
  const shown = [...st.shown, next];
  return { state: { ...st, shown, at: shown.length - 1 }, select: [best, next.unitId] };
}
