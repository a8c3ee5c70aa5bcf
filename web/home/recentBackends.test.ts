import { describe, expect, it } from 'vitest';
import { backendsToShow, forgetBackend, MAX_RECENT, parseRecentBackends, touchBackend } from './recentBackends';

describe('recently used backends', () => {
  it('keeps the most recent first, once each, bounded', () => {
    let list = touchBackend([], { label: 'a', uri: 'gs://b/sortingview-backends/a.json' }, 1);
    list = touchBackend(list, { label: 'b', uri: 'gs://b/sortingview-backends/b.json' }, 2);
    list = touchBackend(list, { label: 'a', uri: 'gs://b/sortingview-backends/a.json' }, 3);
    expect(list.map((b) => b.label)).toEqual(['a', 'b']);
    for (let i = 0; i < 20; i++) list = touchBackend(list, { label: `x${i}`, uri: `u${i}` }, 10 + i);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0].label).toBe('x19');
  });

  it('lists the default backend, which cannot be forgotten because it is not stored', () => {
    const list = touchBackend([], { label: 'lab', uri: 'L' }, 5);
    expect(backendsToShow(list, 'D')).toEqual([{ label: 'lab', uri: 'L', lastUsed: 5, isDefault: false }, { label: 'default', uri: 'D', lastUsed: 0, isDefault: true }]);
    expect(backendsToShow(touchBackend(list, { label: 'local', uri: 'D' }, 6), 'D')[0]).toMatchObject({ uri: 'D', isDefault: true });
    expect(forgetBackend(list, 'L')).toEqual([]);
  });

  it('reads junk in localStorage as an empty list', () => {
    expect(parseRecentBackends('not json')).toEqual([]);
    expect(parseRecentBackends('[{"label":1}]')).toEqual([]);
    expect(parseRecentBackends(null)).toEqual([]);
  });
});
