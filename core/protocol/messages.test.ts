import { describe, expect, it } from 'vitest';
import { BACKEND_ALIVE_MS, isBackendAlive } from './messages';

describe('isBackendAlive', () => {
  it('calls a backend alive while its config is under BACKEND_ALIVE_MS old, from a config or its timestamp', () => {
    const now = 1_000_000;
    expect(isBackendAlive({ timestamp: now - BACKEND_ALIVE_MS + 1 }, now)).toBe(true);
    expect(isBackendAlive({ timestamp: now - BACKEND_ALIVE_MS }, now)).toBe(false);
    expect(isBackendAlive(now - 120_000, now)).toBe(false);
    expect(isBackendAlive(now, now)).toBe(true);
  });
});
