/**
 * Deterministic JSON: keys sorted at every depth, compact, JavaScript number formatting.
 *
 * Byte-identical to sortingview 2021's `JSONStringifyDeterministic`, which collected every key at every
 * depth, sorted them with the default (UTF-16 code unit) order, and passed that list as the replacer of
 * `JSON.stringify`. A replacer list orders each object's own keys by the list and leaves arrays alone,
 * so the result equals sorting each object's keys on its own, which is what we do here (one pass, and
 * integer-like keys such as "10" and "9" stay in string order, as the replacer list put them).
 * Task hashes depend on these bytes: change nothing here without the test vectors.
 */
export function stableStringify(value: unknown): string {
  const out = serialize(value, '');
  // JSON.stringify(undefined) is undefined; the 2021 function returned that too, callers never pass it.
  return out === undefined ? 'undefined' : out;
}

function serialize(value: unknown, key: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('stableStringify: BigInt cannot be serialized to JSON');
    return JSON.stringify(value); // numbers (1e+21, -0 → 0, NaN → null), strings, booleans; undefined/functions → undefined
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => serialize(item, String(i)) ?? 'null');
    return `[${items.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(record).sort()) {
    const v = serialize(record[k], k);
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}
