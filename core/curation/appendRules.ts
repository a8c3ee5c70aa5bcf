import { z } from 'zod';
import { unitIdSchema, type CurationAction } from '../reducers/curationActions';
import { legacyPermissionsActionSchema, workspaceActionSchema, type WorkspaceAction } from '../reducers/workspaceActions';

/**
 * What a browser may append through the API (`POST /v1/feeds/<feedId>/<subfeedHash>/messages`), checked
 * before anything is written. Stricter than what a log may hold (core/reducers accept any old log):
 * labels are 1-64 printable characters, a merge names at least two units, a label action at least one,
 * and every unit must be a unit of the sorting when its unit ids are known.
 */

export const MAX_MESSAGES_PER_APPEND = 100;
export const MAX_API_LABEL_CHARS = 64;
const MAX_UNITS_PER_ACTION = 10_000;

export const apiUnitLabelSchema = z.string().trim()
  .min(1, 'a label is not empty')
  .max(MAX_API_LABEL_CHARS, `a label is at most ${MAX_API_LABEL_CHARS} characters`)
  // Tabs and newlines would break the phy TSV export, and nobody means them.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a label has no control characters (tabs, newlines)');

const someUnits = z.array(unitIdSchema).min(1, 'name at least one unit').max(MAX_UNITS_PER_ACTION);

/** Curation actions as the API accepts them; unknown fields (old logs carried `sortingId`) are dropped. */
export const apiCurationActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ADD_UNIT_LABEL'), unitId: z.union([unitIdSchema, someUnits]), label: apiUnitLabelSchema }),
  z.object({ type: z.literal('REMOVE_UNIT_LABEL'), unitId: z.union([unitIdSchema, someUnits]), label: apiUnitLabelSchema }),
  z.object({ type: z.literal('MERGE_UNITS'), unitIds: z.array(unitIdSchema).min(2, 'a merge names at least two units').max(MAX_UNITS_PER_ACTION) }),
  z.object({ type: z.literal('UNMERGE_UNITS'), unitIds: someUnits }),
  z.object({ type: z.literal('CLOSE_CURATION') }),
  z.object({ type: z.literal('REOPEN_CURATION') }),
  z.object({
    type: z.literal('SET_CURATION'),
    curation: z.object({
      labelsByUnit: z.record(z.string().regex(/^-?\d+$/, 'labelsByUnit keys are unit ids'), z.array(apiUnitLabelSchema)).default({}),
      mergeGroups: z.array(z.array(unitIdSchema).max(MAX_UNITS_PER_ACTION)).default([]),
      isClosed: z.boolean().default(false),
    }),
  }),
]);

export const appendRequestSchema = z.object({
  messages: z.array(z.unknown())
    .min(1, 'send at least one message')
    .max(MAX_MESSAGES_PER_APPEND, `at most ${MAX_MESSAGES_PER_APPEND} messages per request; send the rest in another`),
}).strict();

export type AppendCheck<T> = { ok: true; messages: T[] } | { ok: false; message: string };

const describe = (err: z.ZodError, prefix: string) =>
  err.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');

/** Every unit an action names. */
export function unitsOfAction(action: CurationAction): number[] {
  switch (action.type) {
    case 'ADD_UNIT_LABEL':
    case 'REMOVE_UNIT_LABEL':
      return Array.isArray(action.unitId) ? action.unitId : [action.unitId];
    case 'MERGE_UNITS':
    case 'UNMERGE_UNITS':
      return action.unitIds;
    case 'SET_CURATION':
      return [...Object.keys(action.curation.labelsByUnit).map(Number), ...action.curation.mergeGroups.flat()];
    default:
      return [];
  }
}

/**
 * Bare curation actions for the subfeed `{name: 'sortingCuration', sortingId}`. `unitIds`: the
 * sorting's units, or null when they are not known (then any unit id is accepted).
 */
export function checkCurationAppend(messages: readonly unknown[], unitIds: readonly number[] | null, sortingId: string): AppendCheck<CurationAction> {
  const known = unitIds ? new Set(unitIds) : null;
  const out: CurationAction[] = [];
  for (const [i, m] of messages.entries()) {
    if (m !== null && typeof m === 'object' && 'action' in m && !('type' in m)) {
      return { ok: false, message: `messages.${i}: curation messages are bare actions ({type: "ADD_UNIT_LABEL", …}), not {action: …}` };
    }
    const parsed = apiCurationActionSchema.safeParse(m);
    if (!parsed.success) return { ok: false, message: `Invalid curation action: ${describe(parsed.error, `messages.${i}`)}` };
    if (known) {
      const unknown = [...new Set(unitsOfAction(parsed.data))].filter((u) => !known.has(u));
      if (unknown.length) {
        return { ok: false, message: `messages.${i}: ${unknown.length === 1 ? 'unit' : 'units'} ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''} ${unknown.length === 1 ? 'is' : 'are'} not in sorting ${sortingId} (it has ${describeUnits(unitIds!)})` };
      }
    }
    out.push(parsed.data);
  }
  return { ok: true, messages: out };
}

function describeUnits(ids: readonly number[]): string {
  if (ids.length === 0) return 'no units';
  const sorted = [...ids].sort((a, b) => a - b);
  return sorted.length <= 12 ? `units ${sorted.join(', ')}` : `${sorted.length} units, ${sorted[0]}…${sorted[sorted.length - 1]}`;
}

/** `{action}` messages for a workspace's `main` subfeed. */
export function checkWorkspaceAppend(messages: readonly unknown[]): AppendCheck<{ action: WorkspaceAction }> {
  const out: { action: WorkspaceAction }[] = [];
  for (const [i, m] of messages.entries()) {
    const action = (m as { action?: unknown } | null)?.action;
    if (m === null || typeof m !== 'object' || action === undefined) {
      return { ok: false, message: `messages.${i}: workspace messages are {action: {type: …}}` };
    }
    if (legacyPermissionsActionSchema.safeParse(action).success) {
      return { ok: false, message: `messages.${i}: SET_USER_PERMISSIONS is not a log action any more: the workspace owner changes permissions with PUT /v1/workspaces/<feedId>/permissions or "sortingview workspace set-permissions"` };
    }
    const parsed = workspaceActionSchema.safeParse(action);
    if (!parsed.success) return { ok: false, message: `Invalid workspace action: ${describe(parsed.error, `messages.${i}.action`)}` };
    out.push({ action: parsed.data });
  }
  return { ok: true, messages: out };
}
