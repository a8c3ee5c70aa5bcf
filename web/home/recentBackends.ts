import { z } from 'zod';

/**
 * Recently used backends, kept in localStorage (2021 `backendProviderItemsReducer.ts`): most recent
 * first, at most MAX_RECENT, and the deployment's default backend listed first-or-last with
 * `lastUsed: 0` and no "forget". Pure functions over the list; the page does the storage I/O.
 */
export const RECENT_BACKENDS_KEY = 'sortingview-backend-list';
export const MAX_RECENT = 12;

export const recentBackendSchema = z.object({ label: z.string(), uri: z.string(), lastUsed: z.number() });
export type RecentBackend = z.infer<typeof recentBackendSchema>;

export function parseRecentBackends(text: string | null): RecentBackend[] {
  if (!text) return [];
  try {
    const parsed = z.array(recentBackendSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function touchBackend(list: readonly RecentBackend[], item: { label: string; uri: string }, now: number): RecentBackend[] {
  const rest = list.filter((b) => b.uri !== item.uri);
  return [{ label: item.label, uri: item.uri, lastUsed: now }, ...rest].sort((a, b) => b.lastUsed - a.lastUsed).slice(0, MAX_RECENT);
}

export function forgetBackend(list: readonly RecentBackend[], uri: string): RecentBackend[] {
  return list.filter((b) => b.uri !== uri);
}

/** The list to show: used backends by recency, then the default (if not used yet) marked as such. */
export function backendsToShow(list: readonly RecentBackend[], defaultUri: string | undefined): (RecentBackend & { isDefault: boolean })[] {
  const out = [...list].sort((a, b) => b.lastUsed - a.lastUsed).map((b) => ({ ...b, isDefault: b.uri === defaultUri }));
  if (defaultUri && !out.some((b) => b.uri === defaultUri)) out.push({ label: 'default', uri: defaultUri, lastUsed: 0, isDefault: true });
  return out;
}
