import { curationActionSchema, type CurationAction } from './curationActions';

/**
 * The curation of one sorting: a pure reducer over its action log (2021 `SortingCuration.ts` and
 * `_get_sorting_curation`). It returns the same state object when an action changes nothing, and says
 * what changed, like phy's `UpdateInfo` ("no modified units" when nothing did).
 *
 * - Labels per unit are kept sorted and deduplicated; a unit whose last label is removed disappears
 *   from `labelsByUnit`.
 * - A merge is a merge group: MERGE_UNITS adds a group and groups that share a unit are united;
 *   UNMERGE_UNITS takes units out of every group; groups of fewer than two units drop
 *   (`simplifyMergeGroups`).
 * - While the curation is closed only REOPEN_CURATION applies (2021 from 2021-07-29).
 */
export interface CurationState {
  /** Unit id (decimal) → its labels, sorted. */
  labelsByUnit: Record<string, string[]>;
  /** Each group sorted ascending, at least two units, no unit in two groups. */
  mergeGroups: number[][];
  isClosed: boolean;
}

export const initialCurationState: CurationState = Object.freeze({ labelsByUnit: {}, mergeGroups: [], isClosed: false }) as CurationState;

/** What one action did. */
export interface CurationUpdate {
  changed: boolean;
  /** Units whose labels changed, ascending. */
  labelsChanged: number[];
  /** Units whose merge group changed (joined, left, or their group grew or shrank), ascending. */
  mergeChanged: number[];
  /** The curation was closed or reopened. */
  closedChanged: boolean;
  /** One line for logs and status bars: "labelled unit 3 accept", "no modified units", … */
  description: string;
}

/**
 * Unites groups that share a unit (repeatedly, until none do), sorts each group and drops groups of
 * fewer than two units. Groups keep the order of their first appearance, as 2021's Python did.
 */
export function simplifyMergeGroups(groups: readonly (readonly number[])[]): number[][] {
  const work = groups.map((g) => new Set(g));
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < work.length; i++) {
      for (let j = i + 1; j < work.length; j++) {
        if (work[j].size === 0 || ![...work[j]].some((u) => work[i].has(u))) continue;
        for (const u of work[j]) work[i].add(u);
        work[j] = new Set();
        changed = true;
      }
    }
  }
  return work.filter((g) => g.size >= 2).map((g) => [...g].sort((a, b) => a - b));
}

export function curationReducer(state: CurationState, action: CurationAction): CurationState {
  return reduceCuration(state, action).state;
}

const noChange = (state: CurationState, description: string) => ({
  state, update: { changed: false, labelsChanged: [], mergeChanged: [], closedChanged: false, description },
});
const asList = (u: number | number[]) => (Array.isArray(u) ? u : [u]);
const unitList = (ids: number[]) => `${ids.length === 1 ? 'unit' : 'units'} ${ids.join(', ')}`;

export function reduceCuration(state: CurationState, action: CurationAction): { state: CurationState; update: CurationUpdate } {
  if (state.isClosed && action.type !== 'REOPEN_CURATION') return noChange(state, `curation is closed: ${action.type} ignored`);
  switch (action.type) {
    case 'ADD_UNIT_LABEL':
    case 'REMOVE_UNIT_LABEL': {
      const adding = action.type === 'ADD_UNIT_LABEL';
      const label = action.label;
      let labelsByUnit: Record<string, string[]> | null = null;
      const touched: number[] = [];
      for (const unitId of new Set(asList(action.unitId))) {
        const key = String(unitId);
        const current = (labelsByUnit ?? state.labelsByUnit)[key] ?? [];
        if (current.includes(label) === adding) continue;
        labelsByUnit ??= { ...state.labelsByUnit };
        if (adding) labelsByUnit[key] = [...current, label].sort();
        else if (current.length > 1) labelsByUnit[key] = current.filter((l) => l !== label);
        else delete labelsByUnit[key];
        touched.push(unitId);
      }
      if (!labelsByUnit) return noChange(state, 'no modified units');
      const units = touched.sort((a, b) => a - b);
      return {
        state: { ...state, labelsByUnit },
        update: { changed: true, labelsChanged: units, mergeChanged: [], closedChanged: false, description: `${adding ? 'labelled' : 'unlabelled'} ${unitList(units)} ${label}` },
      };
    }
    case 'MERGE_UNITS':
      return withMergeGroups(state, simplifyMergeGroups([...state.mergeGroups, action.unitIds]), 'merged');
    case 'UNMERGE_UNITS': {
      const out = new Set(action.unitIds);
      return withMergeGroups(state, simplifyMergeGroups(state.mergeGroups.map((g) => g.filter((u) => !out.has(u)))), 'unmerged');
    }
    case 'CLOSE_CURATION':
    case 'REOPEN_CURATION': {
      const isClosed = action.type === 'CLOSE_CURATION';
      if (state.isClosed === isClosed) return noChange(state, `curation is already ${isClosed ? 'closed' : 'open'}`);
      return {
        state: { ...state, isClosed },
        update: { changed: true, labelsChanged: [], mergeChanged: [], closedChanged: true, description: isClosed ? 'closed the curation' : 'reopened the curation' },
      };
    }
    case 'SET_CURATION': {
      const next = normalizeCuration(action.curation);
      const labelsChanged = diffLabels(state.labelsByUnit, next.labelsByUnit);
      const mergeChanged = diffMerges(state.mergeGroups, next.mergeGroups);
      const closedChanged = state.isClosed !== next.isClosed;
      if (!labelsChanged.length && !mergeChanged.length && !closedChanged && sameGroups(state.mergeGroups, next.mergeGroups)) {
        return noChange(state, 'no modified units');
      }
      return { state: next, update: { changed: true, labelsChanged, mergeChanged, closedChanged, description: 'replaced the curation' } };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

function withMergeGroups(state: CurationState, mergeGroups: number[][], verb: string): { state: CurationState; update: CurationUpdate } {
  const mergeChanged = diffMerges(state.mergeGroups, mergeGroups);
  // Same membership but another order of groups is still a change of the stored state; report it.
  if (!mergeChanged.length && sameGroups(state.mergeGroups, mergeGroups)) return noChange(state, 'no modified units');
  return {
    state: { ...state, mergeGroups },
    update: { changed: true, labelsChanged: [], mergeChanged, closedChanged: false, description: `${verb} ${unitList(mergeChanged)}` },
  };
}

/** Sorted labels, no duplicates or empty lists, simplified merge groups: the canonical form of a snapshot. */
export function normalizeCuration(c: { labelsByUnit?: Record<string, string[]>; mergeGroups?: number[][]; isClosed?: boolean }): CurationState {
  const labelsByUnit: Record<string, string[]> = {};
  for (const [key, labels] of Object.entries(c.labelsByUnit ?? {})) {
    const clean = [...new Set(labels)].sort();
    if (clean.length) labelsByUnit[String(Number(key))] = clean;
  }
  return { labelsByUnit, mergeGroups: simplifyMergeGroups(c.mergeGroups ?? []), isClosed: c.isClosed ?? false };
}

function diffLabels(a: Record<string, string[]>, b: Record<string, string[]>): number[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => (a[k] ?? []).join('\n') !== (b[k] ?? []).join('\n')).map(Number).sort((x, y) => x - y);
}

function groupOf(groups: number[][]): Map<number, string> {
  const m = new Map<number, string>();
  for (const g of groups) for (const u of g) m.set(u, g.join(','));
  return m;
}

function diffMerges(a: number[][], b: number[][]): number[] {
  const ga = groupOf(a);
  const gb = groupOf(b);
  const units = new Set([...ga.keys(), ...gb.keys()]);
  return [...units].filter((u) => ga.get(u) !== gb.get(u)).sort((x, y) => x - y);
}

function sameGroups(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((g, i) => g.join(',') === b[i].join(','));
}

/** The unit id a merge group is shown as (2021's curated sorting: the smallest id of the group). */
export function mergedUnitId(group: readonly number[]): number {
  return Math.min(...group);
}

/** A log position replay did not apply. */
export interface IgnoredCurationMessage {
  position: number;
  detail: string;
}

/** Replays a curation log (bare actions, in order); invalid messages are skipped and reported. */
export function replayCuration(messages: readonly unknown[], from: CurationState = initialCurationState): { state: CurationState; ignored: IgnoredCurationMessage[] } {
  let state = from;
  const ignored: IgnoredCurationMessage[] = [];
  messages.forEach((m, position) => {
    const parsed = curationActionSchema.safeParse(m);
    if (parsed.success) state = curationReducer(state, parsed.data);
    else ignored.push({ position, detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
  });
  return { state, ignored };
}
