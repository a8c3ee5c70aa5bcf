/**
 * Bounds on JSON that the system stores or hashes. `JSON.parse` takes any depth, but the recursive
 * walkers after it do not: a recording object nested 5000 deep overflowed `JSON.stringify` (a 500 on
 * append), and one nested 2000 deep was stored and then overflowed `stableStringify` in every reader
 * (issue 14, item 8). The deepest legitimate value is a data object wrapped a few times (subrecording of
 * filtered of …, two levels per wrap) inside a message envelope: 64 leaves room for 25 wraps.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deeply `value` nests (a scalar is 0, `[]` and `{}` are 1), counting no further than `limit + 1`.
 * Iterative, so it cannot overflow the stack itself, whatever it is given.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth]);
    }
  }
  return deepest;
}

/** A user-facing reason when `value` nests deeper than `limit`, else null. `what` names it ("The request body"). */
export function jsonTooDeep(value: unknown, what: string, limit = MAX_JSON_DEPTH): string | null {
  return jsonDepth(value, limit) > limit ? `${what} nests more than ${limit} levels deep; the limit is ${limit}. Flatten it (a data object wrapped in subrecordings or filters needs two levels per wrap).` : null;
}
