import type { ComponentType } from 'react';
import type { TaskContract } from '../../core/tasks/contract';
import type { SortingData } from '../sorting/sortingContext';

/** Size of the tab area a view fills, in CSS pixels. */
export interface ViewProps {
  width: number;
  height: number;
}

/**
 * A view of the sorting page (neurosift/figpack style): each lives in its own folder with a
 * declarative `index.ts` exporting one of these, a loader (tasks → typed data) and a presentational
 * component. `registry.ts` orders them.
 */
export interface ViewPlugin {
  name: string;
  label: string;
  description: string;
  /** Opened once; opening it again re-activates it. */
  singleton: boolean;
  defaultArea: 'north' | 'south';
  /** true, or why the view cannot show this sorting (the launcher button is disabled with that reason). */
  canHandle(data: SortingData): true | string;
  /** The tasks it asks for: a backend that lacks one cannot show it (home page; test/contract/webTasks.test.ts). */
  tasks: readonly TaskContract[];
  component: ComponentType<ViewProps>;
}
