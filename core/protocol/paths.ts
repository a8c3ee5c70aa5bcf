import { pathify, sha1Hex } from './hash';
import { stableStringify } from './stableStringify';
import type { ChunkSpec } from './messages';

/** Bucket paths of DESIGN.md, in one place. Public bucket unless noted. */
export const TASKS_TOPIC = 'sortingview-tasks';
export const RELAY_TOPIC = 'sortingview-relay';
export const relaySubscriptionName = (label: string) => `sortingview-relay-${label}`;

export const backendConfigPath = (label: string) => `sortingview-backends/${label}.json`;
export const taskResultPath = (label: string, taskHash: string) => `task_results/${label}/${pathify(taskHash)}`;
export const taskStatusPath = (label: string, taskHash: string) => `task_status/${label}/${taskHash}.json`;
export const feedMessagePath = (feedId: string, subfeedHash: string, n: number) => `feeds/${feedId}/${subfeedHash}/${n}.json`;
export const feedCountPath = (feedId: string, subfeedHash: string) => `feeds/${feedId}/${subfeedHash}/count.json`;

/** Private bucket. */
export const chunkHash = (spec: ChunkSpec) => sha1Hex(stableStringify(spec));
export const chunkPath = (label: string, spec: ChunkSpec) => `chunks/${label}/${pathify(chunkHash(spec))}`;
export const registeredObjectPath = (label: string, sha1: string) => `objects/${label}/${sha1}`;
/**
 * The record that `sha1://<sha1>/<name>` is registered in exactly that form (empty; written by
 * `workspace add-recording / add-sorting` after the object): what the API, worker and relay check.
 */
export const registeredUriPath = (label: string, sha1: string, name: string) => `objects/${label}/${sha1}.names/${name}`;
export const aclPath = (feedId: string) => `acl/${feedId}.json`;

/** `gs://bucket/sortingview-backends/<label>.json` ⇄ {bucket, label}. */
export function backendUri(bucket: string, label: string): string {
  return `gs://${bucket}/${backendConfigPath(label)}`;
}
export function parseBackendUri(uri: string): { bucket: string; label: string } {
  const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220})\/sortingview-backends\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\.json$/.exec(uri.trim());
  if (!m) throw new Error(`Not a Backend URI: ${JSON.stringify(uri)}. Expected gs://<bucket>/sortingview-backends/<label>.json`);
  return { bucket: m[1], label: m[2] };
}

/** Public URL of an object, e.g. https://storage.googleapis.com/<bucket>/<path> (the emulator's public port locally). */
export function publicObjectUrl(publicStorageBaseUrl: string, bucket: string, path: string): string {
  return `${publicStorageBaseUrl.replace(/\/+$/, '')}/${bucket}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
