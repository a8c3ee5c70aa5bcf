import { describe, expect, it } from 'vitest';
import { decideOnRequest, IN_FLIGHT_STALE_MS, resultCacheControl } from './lifecycle';

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
  it('publishes queries fresh, retries errors, and runs new tasks', () => {
    expect(decideOnRequest({ kind: 'query', hasResult: true, status: st('finished'), now }).action).toBe('publish');
    expect(decideOnRequest({ kind: 'pure', hasResult: false, status: st('error'), now }).action).toBe('publish');
    expect(decideOnRequest({ kind: 'action', hasResult: false, status: null, now }).action).toBe('publish');
  });
  it('caches pure results forever and nothing else', () => {
    expect(resultCacheControl('pure')).toMatch(/immutable/);
    expect(resultCacheControl('query')).toBe('no-store');
  });
});
