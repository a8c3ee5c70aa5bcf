import { describe, expect, it } from 'vitest';
import { applyChunk, parseContentRange, sessionBytes, Sessions } from './sessions';

const newSession = () => new Sessions(() => 0).create({ bucket: 'b', name: 'o', meta: {}, conditions: {} });

describe('resumable sessions', () => {
  it('parses every Content-Range form the client sends', () => {
    expect(parseContentRange('bytes 0-*/*')).toEqual({ kind: 'data', start: 0, end: undefined, total: undefined });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ kind: 'data', start: 0, end: 9, total: undefined });
    expect(parseContentRange('bytes 10-19/20')).toEqual({ kind: 'data', start: 10, end: 19, total: 20 });
    expect(parseContentRange('bytes 0--1/0')).toEqual({ kind: 'data', start: 0, end: -1, total: 0 });
    expect(parseContentRange('bytes */*')).toEqual({ kind: 'query', total: undefined });
    expect(parseContentRange('bytes */20')).toEqual({ kind: 'query', total: 20 });
    expect(() => parseContentRange('bytes 5-1/9')).toThrow();
    expect(() => parseContentRange('chunks 1')).toThrow();
  });

  it('appends chunks, completes at the total and skips resent bytes', () => {
    const s = newSession();
    expect(applyChunk(s, parseContentRange('bytes 0-3/*'), Buffer.from('abcd'))).toBe(false);
    // A resend overlapping what is persisted only contributes the new bytes.
    expect(applyChunk(s, parseContentRange('bytes 2-5/*'), Buffer.from('cdef'))).toBe(false);
    expect(s.received).toBe(6);
    expect(applyChunk(s, parseContentRange('bytes */*'), Buffer.alloc(0))).toBe(false);
    expect(applyChunk(s, parseContentRange('bytes 6-7/8'), Buffer.from('gh'))).toBe(true);
    expect(sessionBytes(s).toString()).toBe('abcdefgh');
  });

  it('an open-ended range with unknown total finishes the upload', () => {
    const s = newSession();
    expect(applyChunk(s, parseContentRange('bytes 0-*/*'), Buffer.from('all'))).toBe(true);
  });

  it('refuses gaps, length mismatches and overshooting the total', () => {
    expect(() => applyChunk(newSession(), parseContentRange('bytes 4-7/*'), Buffer.from('abcd'))).toThrow(/persisted/);
    expect(() => applyChunk(newSession(), parseContentRange('bytes 0-7/*'), Buffer.from('abcd'))).toThrow(/covers/);
    expect(() => applyChunk(newSession(), parseContentRange('bytes 0-3/2'), Buffer.from('abcd'))).toThrow(/more than/);
  });

  it('expires abandoned sessions', () => {
    let now = 0;
    const sessions = new Sessions(() => now, 1000);
    const old = sessions.create({ bucket: 'b', name: 'o', meta: {}, conditions: {} });
    now = 5000;
    sessions.create({ bucket: 'b', name: 'p', meta: {}, conditions: {} });
    expect(sessions.get(old.id)).toBeUndefined();
  });
});
