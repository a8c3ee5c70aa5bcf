import { describe, expect, it } from 'vitest';
import { describeCurationMessage, formatWhen } from './describe';

describe('describeCurationMessage', () => {
  it('says what each action did', () => {
    expect(describeCurationMessage({ type: 'ADD_UNIT_LABEL', unitId: [3, 5], label: 'accept' })).toBe('label 3, 5 "accept"');
    expect(describeCurationMessage({ type: 'REMOVE_UNIT_LABEL', unitId: 2, label: 'noise' })).toBe('remove "noise" from 2');
    expect(describeCurationMessage({ type: 'MERGE_UNITS', unitIds: [1, 2] })).toBe('merge 1+2');
    expect(describeCurationMessage({ type: 'UNMERGE_UNITS', unitIds: [1] })).toBe('unmerge 1');
    expect(describeCurationMessage({ type: 'CLOSE_CURATION' })).toBe('mark the curation complete');
    expect(describeCurationMessage({ type: 'REOPEN_CURATION' })).toBe('reopen the curation');
  });
  it('never throws on foreign messages', () => {
    expect(describeCurationMessage(null)).toBe('unreadable message');
    expect(describeCurationMessage({ type: 'X' })).toBe('unknown action "X"');
  });
});

describe('formatWhen', () => {
  it('shows only the time for today, the date otherwise', () => {
    const now = new Date(2024, 4, 1, 15, 0, 0).getTime();
    expect(formatWhen(new Date(2024, 4, 1, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(formatWhen(new Date(2024, 3, 30, 9, 5, 7).getTime(), now)).toBe('2024-04-30 09:05');
  });
});
