import { memo, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { TaskStatusLine } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useNavigation } from '../../sorting/NavigationProvider';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useExternalMetrics, useGroupOf, useMergeGroupSummaries, useUnitsSummary } from '../common/loaders';
import type { ViewProps } from '../types';
import { buildRows, columnsFor, sortRows, type Column, type SortKey, type UnitRow } from './rows';
import { rowsBetween } from './rangeSelect';

/**
 * The units table: every displayed unit with its metrics (sortingview.units_summary.1, plus external
 * metrics), curation labels, checkbox selection and select-all, sortable by any column. Virtualized:
 * only the rows in view (plus a margin) are in the DOM, so thousands of units scroll and select fast.
 */
export const ROW_HEIGHT = 26;
const OVERSCAN = 8;

export function UnitsTableView({ width, height }: ViewProps) {
  const { curation } = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const { rec, summary, spec } = useUnitsSummary();
  const { rec: extRec, metrics } = useExternalMetrics();
  const groupOf = useGroupOf();
  const { groupSummary, recs: groupRecs } = useMergeGroupSummaries(displayedUnitIds, groupOf);
  // One status for the merge groups' rows: an error first, else one still computing (many merges: one line, not one each).
  const pendingGroup = groupRecs.find((r) => r.status === 'error') ?? groupRecs.find((r) => r.status !== 'finished');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'unitId', dir: 1 });
  const columns = useMemo(() => columnsFor(metrics, summary?.isi_threshold_msec), [metrics, summary]);
  const rows = useMemo(() => buildRows(displayedUnitIds, summary, metrics, curation.labelsByUnit, groupOf, groupSummary), [displayedUnitIds, summary, metrics, curation.labelsByUnit, groupOf, groupSummary]);
  const sorted = useMemo(() => sortRows(rows, sort.key, sort.dir), [rows, sort]);
  const selected = useMemo(() => new Set(selection.selectedUnitIds), [selection.selectedUnitIds]);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.unitId));
  const someSelected = !allSelected && rows.some((r) => selected.has(r.unitId));

  const bodyRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const toolbarHeight = 30;
  const headerHeight = 30;
  const bodyHeight = Math.max(ROW_HEIGHT, height - toolbarHeight - headerHeight - 4);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((scrollTop + bodyHeight) / ROW_HEIGHT) + OVERSCAN);

  const template = `34px 90px 150px ${columns.map(() => 'minmax(90px, 1fr)').join(' ')}`;
  const minWidth = 34 + 90 + 150 + columns.length * 90;

  // The last row clicked without Shift: where a Shift-click range starts.
  const anchor = useRef<number | null>(null);
  const order = useMemo(() => sorted.map((r) => r.unitId), [sorted]);
  const onRowClick = useCallback((unitId: number, e: MouseEvent) => {
    const ctrl = e.ctrlKey || e.metaKey;
    if (e.shiftKey) {
      const range = rowsBetween(order, anchor.current, unitId);
      // Ctrl+Shift adds the range to the selection; Shift alone replaces it.
      dispatch(ctrl ? { type: 'TOGGLE_UNITS', unitIds: range, selected: true } : { type: 'SET_SELECTED_UNITS', unitIds: range });
      return;
    }
    anchor.current = unitId;
    dispatch({ type: 'UNIT_CLICKED', unitId, ctrlKey: ctrl });
  }, [dispatch, order]);
  // A checkbox toggles its unit (as Ctrl-click); Shift on a checkbox sets the whole range to its new state.
  const onCheck = useCallback((unitId: number, checked: boolean, shift: boolean) => {
    dispatch({ type: 'TOGGLE_UNITS', unitIds: shift ? rowsBetween(order, anchor.current, unitId) : [unitId], selected: checked });
    if (!shift) anchor.current = unitId;
  }, [dispatch, order]);
  const onSelectAll = () => {
    dispatch(allSelected ? { type: 'TOGGLE_UNITS', unitIds: rows.map((r) => r.unitId), selected: false } : { type: 'SET_SELECTED_UNITS', unitIds: [...selection.selectedUnitIds, ...rows.map((r) => r.unitId)] });
  };
  const sortBy = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'unitId' || key === 'labels' ? 1 : -1 }));
  const arrow = (key: SortKey) => (sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : '');

  // The order the user sees is the order next/previous unit follows (web/sorting/navigation.ts).
  const { publishUnitOrder } = useNavigation();
  useEffect(() => { publishUnitOrder(order); }, [order, publishUnitOrder]);
  useEffect(() => () => publishUnitOrder(null), [publishUnitOrder]);

  // Bring a unit that joins the selection from elsewhere (next unit, the wizard, a merge suggestion)
  // into view, unless one that joined is in view already (a click, a Shift-click range, select all).
  const previous = useRef<readonly number[]>([]);
  useEffect(() => {
    const before = new Set(previous.current);
    previous.current = selection.selectedUnitIds;
    if (selection.selectedUnitIds.length === 1) anchor.current = selection.selectedUnitIds[0]; // where a Shift-click range starts
    const el = bodyRef.current;
    const added = selection.selectedUnitIds.filter((u) => !before.has(u)).map((u) => order.indexOf(u)).filter((i) => i >= 0).sort((a, b) => a - b);
    if (!el || !added.length) return;
    const body = el.clientHeight - headerHeight;
    const inView = (i: number) => i * ROW_HEIGHT >= el.scrollTop && (i + 1) * ROW_HEIGHT <= el.scrollTop + body;
    if (added.some(inView)) return;
    // As little as brings it in (the wizard's best unit, shown just before, mostly stays in view too).
    const i = added[0];
    el.scrollTop = i * ROW_HEIGHT < el.scrollTop ? i * ROW_HEIGHT : Math.max(0, (i + 1) * ROW_HEIGHT - body);
    // Only when the selection changes, not on every sort.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selection.selectedUnitIds]);

  return (
    <div className="units-table" style={{ width, height }} data-testid="units-table">
      <div className="view-toolbar" style={{ height: toolbarHeight }}>
        <span id="units-count">{rows.length} units</span>
        <span className="muted"> · {selection.selectedUnitIds.length} selected</span>
        {summary ? <span className="muted small"> · metrics from {summary.spikes_per_unit} spikes/unit</span> : null}
        <span className="toolbar-status"><TaskStatusLine rec={rec} label="unit metrics" spec={spec} compact />{extRec ? <TaskStatusLine rec={extRec} label="external metrics" compact /> : null}{pendingGroup ? <TaskStatusLine key={pendingGroup.hash} rec={pendingGroup} label="merge groups" compact /> : null}</span>
      </div>
      <div className="units-table-scroll" ref={bodyRef} style={{ height: height - toolbarHeight }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div className="ut-header" style={{ gridTemplateColumns: template, minWidth, height: headerHeight }}>
          <div className="ut-cell"><input type="checkbox" id="units-select-all" aria-label="Select all units" checked={allSelected}
            ref={(el) => { if (el) el.indeterminate = someSelected; }} onChange={onSelectAll} /></div>
          <div className="ut-cell sortable" data-sort-key="unitId" onClick={() => sortBy('unitId')}>Unit{arrow('unitId')}</div>
          <div className="ut-cell sortable" data-sort-key="labels" onClick={() => sortBy('labels')}>Labels{arrow('labels')}</div>
          {columns.map((c) => <div key={c.key} className="ut-cell sortable num" data-sort-key={c.key} title={c.tooltip} onClick={() => sortBy(c.key)}>{c.label}{arrow(c.key)}</div>)}
        </div>
        <div className="ut-body" style={{ height: sorted.length * ROW_HEIGHT, minWidth }}>
          {sorted.slice(first, last).map((row, k) => (
            <Row key={row.unitId} row={row} top={(first + k) * ROW_HEIGHT} selected={selected.has(row.unitId)} columns={columns} template={template} onClick={onRowClick} onCheck={onCheck} />
          ))}
        </div>
      </div>
    </div>
  );
}

function pendingTitle(row: UnitRow, key: string): string {
  if (!row.group) return 'Computing…';
  if (key.startsWith('ext:')) return 'An external metric is the lab\'s value per original unit; a merge group has none';
  return `Computing the merge group's own value (units ${row.group.join(', ')} as one unit)…`;
}

const Row = memo(function Row({ row, top, selected, columns, template, onClick, onCheck }: {
  row: UnitRow; top: number; selected: boolean; columns: Column[]; template: string;
  onClick: (unitId: number, e: MouseEvent) => void; onCheck: (unitId: number, checked: boolean, shift: boolean) => void;
}) {
  return (
    <div className={`ut-row${selected ? ' selected' : ''}`} data-unit-id={row.unitId} style={{ top, gridTemplateColumns: template, height: ROW_HEIGHT }}
      onMouseDown={(e) => { if (e.shiftKey) e.preventDefault(); /* Shift-click selects rows, not the page's text */ }} onClick={(e) => onClick(row.unitId, e)}>
      <div className="ut-cell" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" className="unit-checkbox" aria-label={`Select unit ${row.unitId}`} checked={selected}
          onChange={(e) => onCheck(row.unitId, e.target.checked, (e.nativeEvent as globalThis.MouseEvent).shiftKey === true)} />
      </div>
      <div className="ut-cell unit-id"><span className="swatch" style={{ background: unitColor(row.unitId) }} />{row.unitId}{row.group ? <span className="muted small" title={`merge group ${row.group.join(', ')}`}> +{row.group.length - 1}</span> : null}</div>
      <div className="ut-cell labels">{row.labels.map((l) => <span key={l} className={`label-chip label-${l}`}>{l}</span>)}</div>
      {columns.map((c) => <div key={c.key} className="ut-cell num" data-col={c.key}>{c.key in row.values ? c.format(row.values[c.key]) : <span className="muted" title={pendingTitle(row, c.key)}>…</span>}</div>)}
    </div>
  );
});
