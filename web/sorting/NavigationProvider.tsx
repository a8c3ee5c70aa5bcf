import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { finishedResult } from '../data/taskClient';
import { useTask } from '../data/useTask';
import { useGroupOf, useUnitsSummary } from '../views/common/loaders';
import { similarityLookup, useTemplateSimilaritySpec } from '../views/templateSimilarity/useSimilarity';
import { buildRows } from '../views/unitsTable/rows';
import { neighbourUnit } from './navigation';
import type { Command } from './shortcuts';
import { useSelection, useSortingData } from './sortingContext';
import { currentBest, initialWizard, rankBest, similarUnits, wizardStep, type SimilarUnit, type WizardState } from './wizard';

export type NavCommand = Extract<Command, { kind: 'neighbourUnit' | 'wizard' }>;

/** Next/previous unit and phy's wizard for the whole page: the key handler, the panel's buttons and the units table share it. */
export interface Navigation {
  run(c: NavCommand): void;
  /** The units table's rows in the order it shows them (null: no table open; the displayed units' order then). */
  publishUnitOrder(order: readonly number[] | null): void;
  wizard: WizardState;
  /** The wizard's best unit for the current selection, and the similar unit shown with it. */
  best: number | null;
  similar: SimilarUnit | null;
  /** How many units the best unit's similar list holds (null: template similarity not there yet). */
  similarCount: number | null;
  /** The last thing the wizard said (e.g. no more similar units), until the next command. */
  message: string | null;
}

const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const v = useContext(NavigationContext);
  if (!v) throw new Error('useNavigation outside a sorting page');
  return v;
}

export function NavigationProvider({ children }: { children: ReactNode }) {
  const { curation, recording, notify } = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const { summary } = useUnitsSummary();
  const groupOf = useGroupOf();
  const order = useRef<readonly number[] | null>(null);
  const publishUnitOrder = useCallback((o: readonly number[] | null) => { order.current = o; }, []);
  const [wizard, setWizard] = useState<WizardState>(initialWizard);
  const [message, setMessage] = useState<string | null>(null);
  // The template similarity is asked for once the wizard is first used (an open Template similarity view already has it).
  const [wantSimilarity, setWantSimilarity] = useState(false);
  const spec = useTemplateSimilaritySpec();
  const simRec = useTask(wantSimilarity && recording ? spec : null);
  const simResult = finishedResult(simRec);
  const pending = useRef<NavCommand | null>(null);

  const rows = useMemo(() => buildRows(displayedUnitIds, summary, null, curation.labelsByUnit, groupOf), [displayedUnitIds, summary, curation.labelsByUnit, groupOf]);
  const ranking = useMemo(() => rankBest(rows.map((r) => ({ unitId: r.unitId, labels: r.labels, snr: r.values.snr, count: r.values.count }))), [rows]);
  const similarTo = useMemo(() => {
    if (!simResult) return null;
    const sim = similarityLookup(simResult);
    const labels = new Map(rows.map((r) => [r.unitId, r.labels]));
    return (best: number) => similarUnits(best, displayedUnitIds, sim, (u) => labels.get(u) ?? []);
  }, [simResult, rows, displayedUnitIds]);

  // Next/previous unit speaks in the page's status line (cleared when a later step works); the wizard in its own line.
  const saidInStatus = useRef(false);
  const status = useCallback((m: string | null) => {
    if (m) notify(m);
    else if (saidInStatus.current) notify('');
    saidInStatus.current = !!m;
  }, [notify]);
  const run = useCallback((c: NavCommand) => {
    const selected = selection.selectedUnitIds;
    if (c.kind === 'neighbourUnit') {
      const o = order.current ?? displayedUnitIds;
      const best = currentBest(wizard, selected);
      // From the wizard's best unit (phy's next best), not from the similar one shown with it.
      const u = neighbourUnit(o, best !== null && wizard.best === best ? [best] : selected, c.direction);
      if (u === null) status(o.length ? `Unit ${selected.at(c.direction === 1 ? -1 : 0)} is the ${c.direction === 1 ? 'last' : 'first'} unit of the table.` : 'No units are displayed.');
      else { status(null); setMessage(null); dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [u] }); }
      return;
    }
    setWantSimilarity(true);
    status(null);
    const say = setMessage;
    if (c.step !== 'nextBest' && selected.length && !recording) { say('The wizard\'s similar units need the sorting\'s recording (template similarity).'); return; }
    if (simRec?.status === 'error' && c.step === 'nextSimilar') { say(`Template similarity failed: ${simRec.error ?? 'unknown error'}`); return; }
    const step = wizardStep(wizard, c.step, { selection: selected, ranking, similarTo });
    setWizard(step.state);
    pending.current = step.waiting ? c : null;
    if (step.select) dispatch({ type: 'SET_SELECTED_UNITS', unitIds: step.select });
    say(step.say ?? null);
  }, [selection.selectedUnitIds, displayedUnitIds, wizard, ranking, similarTo, recording, simRec, dispatch, status]);

  // A wizard step that waited for the template similarity runs when it arrives.
  useEffect(() => {
    const c = pending.current;
    if (c && similarTo) { pending.current = null; run(c); }
  }, [similarTo, run]);

  const best = currentBest(wizard, selection.selectedUnitIds);
  const similar = best !== null && best === wizard.best && wizard.at >= 0 && selection.selectedUnitIds.includes(wizard.shown[wizard.at].unitId) ? wizard.shown[wizard.at] : null;
  const similarCount = useMemo(() => (best !== null && similarTo ? similarTo(best).length : null), [best, similarTo]);
  const value = useMemo(() => ({ run, publishUnitOrder, wizard, best: wizard.best === best ? best : null, similar, similarCount, message }),
    [run, publishUnitOrder, wizard, best, similar, similarCount, message]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}
