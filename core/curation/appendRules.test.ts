import { describe, expect, it } from 'vitest';
import { checkCurationAppend, checkWorkspaceAppend, MAX_MESSAGES_PER_APPEND, appendRequestSchema, unitsOfAction } from './appendRules';

const S = 'S-0123456789ab';

describe('checkCurationAppend', () => {
  it('accepts the 2021 actions and returns them parsed (labels trimmed, unknown fields dropped)', () => {
    const r = checkCurationAppend([
      { type: 'ADD_UNIT_LABEL', unitId: 3, label: ' accept ', sortingId: S },
      { type: 'REMOVE_UNIT_LABEL', unitId: [1, 2], label: 'mua' },
      { type: 'MERGE_UNITS', unitIds: [1, 2] },
      { type: 'UNMERGE_UNITS', unitIds: [2] },
      { type: 'CLOSE_CURATION' },
      { type: 'REOPEN_CURATION' },
      { type: 'SET_CURATION', curation: { labelsByUnit: { 3: ['noise'] }, mergeGroups: [[1, 2]] } },
    ], [1, 2, 3], S);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.messages[0]).toEqual({ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept' });
    expect(r.messages[6]).toEqual({ type: 'SET_CURATION', curation: { labelsByUnit: { 3: ['noise'] }, mergeGroups: [[1, 2]], isClosed: false } });
  });

  it.each([
    [{ type: 'ADD_UNIT_LABEL', unitId: 1, label: '' }, /messages\.0\.label: a label is not empty/],
    [{ type: 'ADD_UNIT_LABEL', unitId: 1, label: '   ' }, /a label is not empty/],
    [{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'x'.repeat(65) }, /at most 64 characters/],
    [{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'a\tb' }, /no control characters/],
    [{ type: 'ADD_UNIT_LABEL', unitId: [], label: 'accept' }, /name at least one unit/],
    [{ type: 'ADD_UNIT_LABEL', unitId: 1.5, label: 'accept' }, /messages\.0\.unitId/],
    [{ type: 'MERGE_UNITS', unitIds: [1] }, /a merge names at least two units/],
    [{ type: 'SET_USER_PERMISSIONS', userId: 'a@b.c', permissions: { edit: true } }, /messages\.0\.type/],
    [{ action: { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' } }, /curation messages are bare actions/],
    ['accept', /Invalid curation action/],
  ])('refuses %j', (m, message) => {
    const r = checkCurationAppend([m], [1, 2], S);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('accepts exactly 64 characters', () => {
    expect(checkCurationAppend([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'x'.repeat(64) }], [1], S).ok).toBe(true);
  });

  it('refuses units the sorting does not have, naming them and the sorting; accepts any unit when units are unknown', () => {
    const r = checkCurationAppend([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }, { type: 'MERGE_UNITS', unitIds: [2, 99, 100] }], [1, 2, 3], S);
    expect(r).toEqual({ ok: false, message: `messages.1: units 99, 100 are not in sorting ${S} (it has units 1, 2, 3)` });
    const many = Array.from({ length: 40 }, (_, i) => i + 1);
    const r2 = checkCurationAppend([{ type: 'SET_CURATION', curation: { labelsByUnit: { 41: ['accept'] } } }], many, S);
    expect(r2).toEqual({ ok: false, message: `messages.0: unit 41 is not in sorting ${S} (it has 40 units, 1…40)` });
    expect(checkCurationAppend([{ type: 'MERGE_UNITS', unitIds: [2, 99] }], null, S).ok).toBe(true);
  });

  it('lists the units of every action kind', () => {
    expect(unitsOfAction({ type: 'ADD_UNIT_LABEL', unitId: 4, label: 'x' })).toEqual([4]);
    expect(unitsOfAction({ type: 'SET_CURATION', curation: { labelsByUnit: { 7: ['x'] }, mergeGroups: [[1, 2]], isClosed: false } })).toEqual([7, 1, 2]);
    expect(unitsOfAction({ type: 'CLOSE_CURATION' })).toEqual([]);
  });
});

describe('checkWorkspaceAppend', () => {
  it('accepts {action} workspace messages and refuses bare or legacy ones', () => {
    expect(checkWorkspaceAppend([{ action: { type: 'SET_SNIPPET_LEN', snippetLen: [30, 60] } }])).toEqual({ ok: true, messages: [{ action: { type: 'SET_SNIPPET_LEN', snippetLen: [30, 60] } }] });
    expect(checkWorkspaceAppend([{ type: 'SET_SNIPPET_LEN', snippetLen: [30, 60] }])).toMatchObject({ ok: false, message: expect.stringMatching(/workspace messages are \{action/) });
    expect(checkWorkspaceAppend([{ action: { type: 'SET_USER_PERMISSIONS', userId: 'a@b.c', permissions: { edit: true } } }]))
      .toMatchObject({ ok: false, message: expect.stringMatching(/PUT \/v1\/workspaces\/<feedId>\/permissions/) });
    expect(checkWorkspaceAppend([{ action: { type: 'DELETE_SORTINGS', sortingIds: 'S-1' } }])).toMatchObject({ ok: false, message: expect.stringMatching(/messages\.0\.action\.sortingIds/) });
  });
});

describe('appendRequestSchema', () => {
  it('takes 1 to 100 messages and nothing else', () => {
    expect(appendRequestSchema.safeParse({ messages: [{}] }).success).toBe(true);
    expect(appendRequestSchema.safeParse({ messages: [] }).success).toBe(false);
    expect(appendRequestSchema.safeParse({ messages: Array(MAX_MESSAGES_PER_APPEND + 1).fill({}) }).success).toBe(false);
    expect(appendRequestSchema.safeParse({ messages: [{}], extra: 1 }).success).toBe(false);
  });
});
