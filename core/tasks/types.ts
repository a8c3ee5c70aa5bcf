import type { z } from 'zod';
import type { DataSource } from '../data/dataSource';
import type { TaskKind } from '../protocol/messages';
import type { RelayCost } from './cost';

/** What a task may use from its host. Injected so tasks stay pure and tests deterministic. */
export interface TaskContext {
  /** Resolves after `ms`, or rejects when the host aborts the task (function timeout). */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Raw data, through chunks the relay pushed to the private bucket. */
  data: DataSource;
}

export interface TaskDefinition<K = any> {
  functionId: string;
  kind: TaskKind;
  /** Validates kwargs at the API (4xx on failure) and again in the worker. */
  kwargs: z.ZodType<K>;
  /** Bytes the relay reads for it at most, from the kwargs (and the recording's facts when known): cost.ts. */
  relayCost: RelayCost<K>;
  /**
   * The estimate needs the recording's facts to be tight: the worker then checks it inside `run`, once it
   * has them, instead of refusing on the kwargs-only worst case.
   */
  relayCostUsesRecording?: boolean;
  run(kwargs: K, ctx: TaskContext): Promise<unknown>;
}

/** A task's own failure: becomes status `error` with this message; never retried. */
export class TaskError extends Error {
  override name = 'TaskError';
}
