import { z } from 'zod';
import { dtypes, type Dtype, type NdArray } from '../protocol/ndarray';
import type { TaskKind } from '../protocol/messages';
import type { RelayCost } from './cost';

/**
 * What web, API, worker and CLI agree on about one task: its id, kind, kwargs, relay cost and the
 * shape of its result. Contracts live in `contracts/` and import no kernel code, so the browser can
 * hold every one of them; only the worker's catalog adds `run` (types.ts `implement`).
 */
export interface TaskContract<K = any, R = unknown> {
  functionId: string;
  kind: TaskKind;
  /** Validates kwargs at the API (4xx on failure) and again in the worker. */
  kwargs: z.ZodType<K>;
  /**
   * The result as decoded (ndarrays as typed arrays, core/protocol/serialize.ts). The browser checks
   * every result it reads against it: results come from a public bucket, and an older worker may
   * have written another shape.
   */
  result: z.ZodType<R>;
  /** Bytes the relay reads for it at most, from the kwargs (and the recording's facts when known): cost.ts. */
  relayCost: RelayCost<K>;
  /**
   * The estimate needs the recording's facts to be tight: the worker then checks it inside `run`, once it
   * has them, instead of refusing on the kwargs-only worst case.
   */
  relayCostUsesRecording?: boolean;
}

/**
 * One request: what is hashed and sent (`functionId`, `kwargs`) and the guard its result is checked
 * with. Made by the contracts' request builders, so kwargs are built in one place (precalculated
 * results then hash exactly as the GUI's requests).
 */
export interface TaskRequest<R = unknown> {
  readonly functionId: string;
  readonly kwargs: Record<string, unknown>;
  readonly result: z.ZodType<R>;
}

export type ResultOf<T> = T extends TaskContract<any, infer R> ? R : T extends TaskRequest<infer R> ? R : never;

export const requestOf = <K extends Record<string, unknown>, R>(contract: TaskContract<K, R>, kwargs: K): TaskRequest<R> =>
  ({ functionId: contract.functionId, kwargs, result: contract.result });

/** A decoded ndarray of `dtype` (its length was checked against its shape when decoded), of `rank` dimensions if given. */
export function ndarrayOf<D extends Dtype>(dtype: D, rank?: number): z.ZodType<NdArray<D>> {
  return z.custom<NdArray<D>>((v) => {
    if (typeof v !== 'object' || v === null) return false;
    const a = v as Partial<NdArray>;
    return a.dtype === dtype && dtypes.includes(a.dtype) && Array.isArray(a.shape) && ArrayBuffer.isView(a.data)
      && (rank === undefined || a.shape.length === rank);
  }, { message: `expected a ${rank ?? ''}${rank ? '-d ' : ''}${dtype} array` });
}
