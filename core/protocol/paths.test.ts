import { describe, expect, it } from 'vitest';
import { backendUri, chunkPath, parseBackendUri, publicObjectUrl, taskResultPath, taskStatusPath } from './paths';
import { chunkSpecSchema, taskMessageSchema, taskRequestSchema } from './messages';

const h = 'a9993e364706816aba3e25717850c26c9cd0d89d';

describe('bucket paths', () => {
  it('follow DESIGN.md', () => {
    expect(taskResultPath('lab', h)).toBe(`task_results/lab/a9/99/3e/${h}`);
    expect(taskStatusPath('lab', h)).toBe(`task_status/lab/${h}.json`);
    expect(chunkPath('lab', { type: 'object', uri: 'sha1://x' })).toMatch(/^chunks\/lab\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{40}$/);
  });

  it('round-trip Backend URIs and refuse anything else', () => {
    expect(backendUri('my-bucket', 'lab1')).toBe('gs://my-bucket/sortingview-backends/lab1.json');
    expect(parseBackendUri(' gs://my-bucket/sortingview-backends/lab1.json ')).toEqual({ bucket: 'my-bucket', label: 'lab1' });
    for (const bad of ['gs://b/other/lab.json', 'https://x/sortingview-backends/a.json', 'gs://b/sortingview-backends/../x.json', '']) {
      expect(() => parseBackendUri(bad)).toThrow(/Not a Backend URI/);
    }
  });

  it('encodes public URLs per segment', () => {
    expect(publicObjectUrl('http://127.0.0.1:1/', 'b', 'a b/c')).toBe('http://127.0.0.1:1/b/a%20b/c');
  });
});

describe('message schemas', () => {
  it('accept good messages and say what is wrong with bad ones', () => {
    expect(taskMessageSchema.parse({ taskHash: h, functionId: 'a.b.1', kwargs: {}, backend: 'lab', kind: 'pure', attempt: 0 }).backend).toBe('lab');
    const bad = taskRequestSchema.safeParse({ backend: '../x', functionId: 'noversion', kwargs: [] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/backend label/);
    expect(taskRequestSchema.safeParse({ backend: 'lab', functionId: 'a.1', extra: 1 }).success).toBe(false);
    expect(chunkSpecSchema.safeParse({ type: 'traces', recording: 'sha1://x', startFrame: -1, endFrame: 2, channelIds: [] }).success).toBe(false);
  });
});
