import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathify, sha1Hex } from '../core/protocol';

/**
 * Writing into a kachery storage directory (reference/kachery.md §1, §3): content goes to
 * `<dir>/sha1/aa/bb/cc/<sha1>`, written to a temp file beside it and renamed into place, so a reader
 * (the relay) never sees a partial file. Files are mode 0644, as kachery's daemon left them.
 */

/** Basenames end up in `sha1://<h>/<basename>` URIs: keep them to characters that need no escaping. */
export function safeBasename(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(0, 200) || 'file';
}

/** Stores bytes; returns `sha1://<sha1>/<basename>`. Content that is already stored is left alone. */
export async function storeBytes(storageDir: string, bytes: Uint8Array, basename: string): Promise<string> {
  if (!basename || /[/?#\s]/.test(basename)) throw new Error(`storeBytes: bad basename ${JSON.stringify(basename)} (use safeBasename)`);
  const sha1 = sha1Hex(bytes);
  const target = join(storageDir, 'sha1', pathify(sha1));
  const existing = await stat(target).catch(() => null);
  if (!existing?.isFile() || existing.size !== bytes.length) {
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await writeFile(temp, bytes, { mode: 0o644, flag: 'wx' });
      await chmod(temp, 0o644); // the process umask may have taken bits off
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
  }
  return `sha1://${sha1}/${basename}`;
}

/** Stores a JSON value serialized as kachery's `store_json` did; returns its URI, bytes and hash. */
export async function storeJson(storageDir: string, value: unknown, basename = 'file.json'): Promise<{ uri: string; sha1: string; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(pythonJsonDumps(value));
  const uri = await storeBytes(storageDir, bytes, basename);
  return { uri, sha1: sha1Hex(bytes), bytes };
}

/**
 * `simplejson.dumps(value, separators=(',', ':'), allow_nan=False)`, the serializer of kachery's
 * `store_json`: keys in insertion order (not sorted), compact, non-ASCII escaped as `\uXXXX`
 * (ensure_ascii), NaN and ±Infinity refused.
 *
 * Where JavaScript cannot know what Python had, this follows the JavaScript value:
 * - numbers: an integral number prints as an integer (`30000`, never Python's float `30000.0`),
 *   except beyond 1e16 where it prints as Python prints that float (`1e+16`); a non-integral number
 *   prints as Python's float repr (`0.5`, `1e-05`, `1.5e-07`).
 * - key order: JavaScript puts integer-like keys ("0", "1", …) first in ascending order, whatever
 *   order they were inserted in; Python keeps insertion order (the same for channel maps written in
 *   channel order).
 */
export function pythonJsonDumps(value: unknown): string {
  const out = dump(value);
  if (out === undefined) throw new TypeError('pythonJsonDumps: undefined is not JSON');
  return out;
}

function dump(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pythonNumber(value);
    case 'string':
      return pythonString(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map((v) => dump(v) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const s = dump(v);
    if (s !== undefined) parts.push(`${pythonString(k)}:${s}`);
  }
  return `{${parts.join(',')}}`;
}

function pythonNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`Out of range float values are not JSON compliant: ${x}`);
  if (Object.is(x, -0)) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  // Python's float repr: shortest round-trip digits; positional for exponents -4…15, else d.ddde±XX.
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) return String(x);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function pythonString(s: string): string {
  // Everything outside printable ASCII (space … ~) is escaped, per UTF-16 code unit, lowercase hex.
  return `"${s.replace(/[\\"]|[^ -~]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
