import type { Dispatch } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { useSize } from '../components/useSize';
import type { ViewLayout } from '../route';
import { findView } from '../views/registry';
import type { Area, LayoutAction } from './layout';
import { useSortingData } from './sortingContext';

/** One tab area (north or south): the tabs, each movable to the other area and closable, and the active view. */
export function ViewArea({ area, layout, dispatchLayout, grow }: { area: Area; layout: ViewLayout; dispatchLayout: Dispatch<LayoutAction>; grow: number }) {
  const tabs = layout[area];
  const active = area === 'north' ? layout.activeNorth : layout.activeSouth;
  const [ref, size] = useSize<HTMLDivElement>();
  const data = useSortingData();
  const name = tabs[active];
  const plugin = name ? findView(name) : undefined;
  const can = plugin ? plugin.canHandle(data) : true;
  const View = plugin?.component;
  return (
    <div className={`view-area area-${area}`} style={{ flexGrow: grow, flexBasis: grow ? 0 : 'auto' }} data-area={area}>
      <div className="tab-bar" role="tablist">
        {tabs.map((t, i) => (
          <div key={`${t}-${i}`} role="tab" aria-selected={i === active} className={`tab${i === active ? ' active' : ''}`} data-view={t}
            onClick={() => dispatchLayout({ type: 'ACTIVATE', area, index: i })}>
            <span>{findView(t)?.label ?? t}</span>
            <button type="button" className="tab-button" title={`Move to the ${area === 'north' ? 'lower' : 'upper'} area`} aria-label="Move to the other area"
              onClick={(e) => { e.stopPropagation(); dispatchLayout({ type: 'MOVE', area, index: i }); }}>{area === 'north' ? '⤓' : '⤒'}</button>
            <button type="button" className="tab-button" title="Close" aria-label="Close view"
              onClick={(e) => { e.stopPropagation(); dispatchLayout({ type: 'CLOSE', area, index: i }); }}>×</button>
          </div>
        ))}
        {!tabs.length ? <span className="muted small tab-hint">{area === 'north' ? 'Upper' : 'Lower'} area: open a view from the panel on the left</span> : null}
      </div>
      <div className="view-body" ref={ref}>
        {!name ? null
          : !plugin ? <div className="view-message error">Unknown view "{name}" (from the link?): close this tab.</div>
            : can !== true ? <div className="view-message">{plugin.label} {can}.</div>
              : View && size.width > 0 && size.height > 0 ? (
                <ErrorBoundary key={`${name}-${active}`} label={plugin.label}>
                  <View width={size.width} height={size.height} />
                </ErrorBoundary>
              ) : null}
      </div>
    </div>
  );
}
