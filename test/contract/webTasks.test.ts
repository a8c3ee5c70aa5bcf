import { describe, expect, it } from 'vitest';
import { findTask, taskFunctionIds } from '../../core/tasks/catalog';
import { webTaskContracts, webTaskFunctionIds } from '../../web/app/taskContracts';

/**
 * The web app and the worker agree on every task: each contract the pages and views ask for is in the
 * worker's catalog with that contract's own schemas (not a copy), so a view added with its task fails
 * here until the catalog implements it.
 */
describe('the tasks the web app asks for', () => {
  it('are each implemented by the worker with the contract\'s own kwargs and result schemas', () => {
    for (const c of webTaskContracts()) {
      const d = findTask(c.functionId);
      expect(d, `${c.functionId} is asked for by the web app but not in core/tasks/catalog.ts`).toBeDefined();
      expect(d!.kwargs, c.functionId).toBe(c.kwargs);
      expect(d!.result, c.functionId).toBe(c.result);
      expect(d!.kind, c.functionId).toBe(c.kind);
    }
  });

  it('cover the catalog but 2021\'s single-metric tasks (kept for its clients; the GUI asks for units_summary.1)', () => {
    expect(taskFunctionIds().filter((id) => !webTaskFunctionIds().includes(id)))
      .toEqual(['get_firing_data.1', 'get_isi_violation_rates.1', 'get_peak_channels.1', 'get_unit_snrs.1']);
  });
});
