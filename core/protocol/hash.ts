import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { stableStringify } from './stableStringify';

/** Hex sha1 of a UTF-8 string or of bytes. Pure JS so the same code runs in functions, relay and browser. */
export function sha1Hex(data: string | Uint8Array): string {
  return bytesToHex(sha1(typeof data === 'string' ? utf8ToBytes(data) : data));
}

/** The identity of a task (2021-compatible): sha1 of the deterministic JSON of `{functionId, kwargs}`. */
export function taskHash(functionId: string, kwargs: Record<string, unknown>): string {
  return sha1Hex(stableStringify({ functionId, kwargs }));
}

/** `abcdef…` → `ab/cd/ef/abcdef…`, the fan-out every bucket path of a hash uses. */
export function pathify(hash: string): string {
  if (!/^[0-9a-f]{6,}$/.test(hash)) throw new Error(`pathify: not a hex hash: ${JSON.stringify(hash)}`);
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash.slice(4, 6)}/${hash}`;
}
