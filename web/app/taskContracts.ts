import type { TaskContract } from '../../core/tasks/contract';
import { averageWaveformContract } from '../../core/tasks/contracts/averageWaveform';
import { backendInfoContract } from '../../core/tasks/contracts/builtin';
import { bestMatchingUnitsContract, sortingAgreementContract } from '../../core/tasks/contracts/comparison';
import { recordingInfoContract, sortingInfoContract } from '../../core/tasks/contracts/recording';
import { unitsSummaryContract } from '../../core/tasks/contracts/unitsTable';
import { VIEW_REGISTRY } from '../views/registry';

/** Tasks the pages ask for themselves: the home page, the workspace and sorting pages, the comparison page. */
const PAGE_TASKS: readonly TaskContract[] = [
  backendInfoContract, recordingInfoContract, sortingInfoContract, unitsSummaryContract, averageWaveformContract, bestMatchingUnitsContract, sortingAgreementContract,
];

/**
 * Every task this web app asks for: the pages' and each view's (`ViewPlugin.tasks`), so a view with a
 * new task needs no list but the view registry. The home page checks a backend against these ids.
 */
export function webTaskContracts(): TaskContract[] {
  const byId = new Map([...PAGE_TASKS, ...VIEW_REGISTRY.flatMap((v) => v.tasks)].map((c) => [c.functionId, c]));
  return [...byId.values()].sort((a, b) => a.functionId.localeCompare(b.functionId));
}

export const webTaskFunctionIds = (): string[] => webTaskContracts().map((c) => c.functionId);
