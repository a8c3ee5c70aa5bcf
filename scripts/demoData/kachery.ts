import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `sha1/aa/bb/cc/<sha1>` under a kachery storage directory (reference/kachery.md §1). */
export async function storeBytes(storageDir: string, bytes: Uint8Array, label: string): Promise<{ sha1: string; uri: string; path: string }> {
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  const dir = join(storageDir, 'sha1', sha1.slice(0, 2), sha1.slice(2, 4), sha1.slice(4, 6));
  await mkdir(dir, { recursive: true });
  const path = join(dir, sha1);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes, { mode: 0o644 });
  await rename(tmp, path);
  return { sha1, uri: `sha1://${sha1}/${label}`, path };
}

/** kachery `store_json`: compact JSON in key insertion order. */
export async function storeJson(storageDir: string, obj: unknown, label: string) {
  return storeBytes(storageDir, new TextEncoder().encode(JSON.stringify(obj)), label);
}
