import { describe, expect, it } from 'vitest';
import { loadFunctionsConfig } from './config';

describe('functions config', () => {
  it('diagnostic tasks are off unless SORTINGVIEW_DIAGNOSTIC_TASKS=1', () => {
    const base = { GOOGLE_BUCKET_NAME: 'lab-bucket' };
    expect(loadFunctionsConfig(base).diagnosticTasks).toBe(false);
    expect(loadFunctionsConfig({ ...base, SORTINGVIEW_DIAGNOSTIC_TASKS: '0' }).diagnosticTasks).toBe(false);
    expect(loadFunctionsConfig({ ...base, SORTINGVIEW_DIAGNOSTIC_TASKS: '1' }).diagnosticTasks).toBe(true);
    expect(() => loadFunctionsConfig({ ...base, SORTINGVIEW_DIAGNOSTIC_TASKS: 'yes' })).toThrow(/SORTINGVIEW_DIAGNOSTIC_TASKS: set it to 1/);
  });
});
