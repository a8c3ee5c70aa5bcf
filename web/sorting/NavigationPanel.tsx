import { unitColor } from '../components/unitColors';
import { useNavigation } from './NavigationProvider';

const U = ({ id }: { id: number }) => <strong style={{ color: unitColor(id) }}>{id}</strong>;

/** The left panel's navigation: next/previous unit in the table's order, and phy's wizard (best unit, then its most similar units). */
export function NavigationPanel() {
  const nav = useNavigation();
  return (
    <div className="navigation-panel" id="navigation-panel">
      <div className="button-row">
        <button type="button" className="small-button" id="previous-unit" title="The previous unit in the units table's order (Page Up or [)" onClick={() => nav.run({ kind: 'neighbourUnit', direction: -1 })}>◀ Previous unit</button>
        <button type="button" className="small-button" id="next-unit" title="The next unit in the units table's order (Page Down or ])" onClick={() => nav.run({ kind: 'neighbourUnit', direction: 1 })}>Next unit ▶</button>
      </div>
      <div className="small">Wizard (as phy's):</div>
      <WizardControls ids />
    </div>
  );
}

/**
 * The wizard's buttons, where it stands (best unit, the similar unit shown, how many of its similar
 * units were shown) and what it last said. In the panel (`ids`) and in the template similarity view.
 */
export function WizardControls({ ids = false }: { ids?: boolean }) {
  const nav = useNavigation();
  const { best, similar, similarCount, wizard, message } = nav;
  const shown = best !== null && best === wizard.best ? wizard.shown.length : 0;
  const id = (s: string) => (ids ? s : undefined);
  return (
    <div className="wizard-controls">
      <div className="button-row wrap">
        <button type="button" className="small-button" id={id('wizard-best')} title="The next best unit: unlabelled, highest SNR first (b)" onClick={() => nav.run({ kind: 'wizard', step: 'nextBest' })}>Best unit</button>
        <button type="button" className="small-button" id={id('wizard-similar')} title="The unit most similar to the best unit that it has not been shown with yet (Space)" onClick={() => nav.run({ kind: 'wizard', step: 'nextSimilar' })}>Most similar</button>
        <button type="button" className="small-button" id={id('wizard-back')} title="Back to the previous similar unit (Shift+Space)" onClick={() => nav.run({ kind: 'wizard', step: 'previousSimilar' })}>◀ Back</button>
      </div>
      <p className="small wizard-status" id={id('wizard-status')} aria-live="polite">
        {best === null ? <span className="muted">Press Space (or Best unit) to start with the best unit: unlabelled, highest SNR.</span> : (
          <>
            Best unit <U id={best} />
            {similar ? <> · most similar: <U id={similar.unitId} /> ({similar.similarity.toFixed(3)})</> : null}
            {similarCount !== null ? <span className="muted"> · {shown} of {similarCount} similar unit{similarCount === 1 ? '' : 's'} shown</span> : null}
          </>
        )}
      </p>
      {message ? <p className="small warn wizard-message" id={id('wizard-message')}>{message}</p> : null}
    </div>
  );
}
