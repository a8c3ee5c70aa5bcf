import { useState, type ReactNode } from 'react';
import { useSelection } from '../../sorting/sortingContext';

/**
 * The units a per-unit view shows: the selected ones, or (none selected) every displayed unit;
 * 30 at first and 60 more per "Show more" (2021's progressive grids), laid out in cells of about
 * `cellWidth` pixels.
 */
export function useUnitsToShow(): { unitIds: number[]; fromSelection: boolean } {
  const { selection, displayedUnitIds } = useSelection();
  return selection.selectedUnitIds.length
    ? { unitIds: selection.selectedUnitIds, fromSelection: true }
    : { unitIds: displayedUnitIds, fromSelection: false };
}

export function UnitGrid({ unitIds, fromSelection, width, cellWidth, renderCell, testId }: {
  unitIds: number[]; fromSelection: boolean; width: number; cellWidth: number; testId: string;
  renderCell: (unitId: number, size: { width: number; height: number }) => ReactNode;
}) {
  const [limit, setLimit] = useState(30);
  const cols = Math.max(1, Math.floor((width - 16) / cellWidth));
  const w = Math.floor((width - 16) / cols) - 6;
  const shown = unitIds.slice(0, limit);
  return (
    <div className="unit-grid-wrap" data-testid={testId}>
      <div className="muted small grid-caption">
        {fromSelection ? `${unitIds.length} selected unit${unitIds.length === 1 ? '' : 's'}` : `All ${unitIds.length} units (select units to show only those)`}
      </div>
      <div className="unit-grid" style={{ gridTemplateColumns: `repeat(${cols}, ${w}px)` }}>
        {shown.map((u) => <div key={u} className="unit-cell-wrap">{renderCell(u, { width: w - 8, height: Math.round(w * 0.8) })}</div>)}
      </div>
      {unitIds.length > limit ? (
        <p><button type="button" className="show-more" onClick={() => setLimit((l) => l + 60)}>Show more units ({unitIds.length - limit} not shown)</button></p>
      ) : null}
    </div>
  );
}

/** A cell's frame: unit title, selected highlight, click to select (Ctrl toggles). */
export function UnitCell({ unitId, title, children, className }: { unitId: number; title?: ReactNode; children: ReactNode; className?: string }) {
  const { selection, dispatch } = useSelection();
  const selected = selection.selectedUnitIds.includes(unitId);
  // In a grid of the selected units a plain click would collapse the grid: only Ctrl-click (toggle) acts there.
  const showingSelection = selection.selectedUnitIds.length > 0;
  return (
    <div className={`unit-cell${selected ? ' selected' : ''}${className ? ` ${className}` : ''}`} data-unit-id={unitId}
      title={showingSelection ? 'Ctrl-click to add or remove this unit from the selection' : 'Click to select; Ctrl-click to add'}
      onClick={(e) => {
        const ctrl = e.ctrlKey || e.metaKey;
        if (ctrl || !showingSelection) dispatch({ type: 'UNIT_CLICKED', unitId, ctrlKey: ctrl });
      }}>
      <div className="unit-cell-title">{title ?? `Unit ${unitId}`}</div>
      {children}
    </div>
  );
}
