import type { DataSource } from '../data/dataSource';
import type { TaskContract } from './contract';

/** What a task may use from its host. Injected so tasks stay pure and tests deterministic. */
export interface TaskContext {
  /** Resolves after `ms`, or rejects when the host aborts the task (function timeout). */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Raw data, through chunks the relay pushed to the private bucket. */
  data: DataSource;
}

/** A contract with its computation: what the worker's catalog holds. `run` must answer the contract's result type. */
export interface TaskDefinition<K = any, R = unknown> extends TaskContract<K, R> {
  run(kwargs: K, ctx: TaskContext): Promise<R>;
}

export const implement = <K, R>(contract: TaskContract<K, R>, run: (kwargs: K, ctx: TaskContext) => Promise<R>): TaskDefinition<K, R> =>
  ({ ...contract, run });
