import { describe, expect, it } from 'vitest';
import { decideOnRequest, ERROR_RETRY_AFTER_MS, IN_FLIGHT_STALE_MS, isStaleError, resultCacheControl } from './lifecycle';

const now = 1_000_000_000;
const st = (status: 'queued' | 'running' | 'waiting-for-data' | 'finished' | 'error', age = 0) => ({ status, updated: now - age });

describe('decideOnRequest', () => {
  it('answers a pure cached result without publishing', () => {
    expect(decideOnRequest({ kind: 'pure', hasResult: true, status: null, now })).toEqual({ action: 'answer-cached' });
  });
  it('never publishes twice while a task is in flight', () => {
    for (const s of ['queued', 'running', 'waiting-for-data'] as const) {
      expect(decideOnRequest({ kind: 'pure', hasResult: false, status: st(s), now }).action).toBe('answer-in-flight');
      expect(decideOnRequest({ kind: 'query', hasResult: true, status: st(s), now }).action).toBe('answer-in-flight');
    }
  });
  it('publishes again once an in-flight status is stale', () => {
    expect(decideOnRequest({ kind: 'pure', hasResult: false, status: st('running', IN_FLIGHT_STALE_MS + 1), now }).action).toBe('publish');
  });
  it('publishes queries fresh and runs new tasks', () => {
    expect(decideOnRequest({ kind: 'query', hasResult: true, status: st('finished'), now }).action).toBe('publish');
    expect(decideOnRequest({ kind: 'action', hasResult: false, status: null, now }).action).toBe('publish');
  });
  it('answers a fresh error as it is, and runs an errored task again after the backoff: no error is final', () => {
    for (const kind of ['pure', 'query'] as const) {
      expect(decideOnRequest({ kind, hasResult: false, status: st('error', 1000), now })).toEqual({ action: 'answer-error', status: st('error', 1000) });
      expect(decideOnRequest({ kind, hasResult: false, status: st('error', ERROR_RETRY_AFTER_MS), now }).action).toBe('publish');
    }
    // The backoff is injectable (deployments and tests), and the same one decides on error chunks.
    expect(decideOnRequest({ kind: 'pure', hasResult: false, status: st('error', 1500), now, errorRetryAfterMs: 1000 }).action).toBe('publish');
    expect(isStaleError(ERROR_RETRY_AFTER_MS - 1)).toBe(false);
    expect(isStaleError(ERROR_RETRY_AFTER_MS)).toBe(true);
    expect(isStaleError(1500, 1000)).toBe(true);
    expect(ERROR_RETRY_AFTER_MS).toBeGreaterThanOrEqual(10_000);
    expect(ERROR_RETRY_AFTER_MS).toBeLessThanOrEqual(30_000);
  });
  it('caches pure results forever and nothing else', () => {
    expect(resultCacheControl('pure')).toMatch(/immutable/);
    expect(resultCacheControl('query')).toBe('no-store');
  });
});
