import { FEATURE_SPACE_MAX_CHANNELS } from '../../../core/tasks/contracts/featureSpace';

/**
 * The channels typed into the feature view ("12, 14 16" or "12-16"): the task's channel_ids, in the
 * order typed. Empty text means the task's default (the units' peaks, then the first unit's
 * neighbourhood). Refused with a reason: unknown channels, a channel twice, more than 15.
 */
export function parseChannelList(text: string, known: readonly number[] | null, max = FEATURE_SPACE_MAX_CHANNELS): { ids: number[] | null } | { error: string } {
  const t = text.trim();
  if (!t) return { ids: null };
  const ids: number[] = [];
  for (const part of t.split(/[\s,;]+/).filter(Boolean)) {
    const range = /^(-?\d+)-(-?\d+)$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (b < a || b - a >= max) return { error: `${part}: not a range of at most ${max} channels` };
      for (let c = a; c <= b; c++) ids.push(c);
    } else if (/^-?\d+$/.test(part)) ids.push(Number(part));
    else return { error: `${part} is not a channel id` };
  }
  if (new Set(ids).size !== ids.length) return { error: 'a channel is listed twice' };
  if (ids.length > max) return { error: `at most ${max} channels (${ids.length} listed)` };
  if (known) {
    const set = new Set(known);
    const unknown = ids.filter((c) => !set.has(c));
    if (unknown.length) return { error: `not a channel of the recording: ${unknown.join(', ')}` };
  }
  return { ids };
}
