import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from './multipart';

describe('multipart/related', () => {
  it('reads the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/related; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/related; type="application/json"; boundary="a b"')).toBe('a b');
    // gcloud storage cp (apitools) single-quotes it; its body uses the bare boundary.
    expect(boundaryOf("multipart/related; boundary='===============6667415504518750700=='")).toBe('===============6667415504518750700==');
    expect(() => boundaryOf('application/json')).toThrow();
  });

  it('splits a JSON part and a binary part (as teeny-request writes them)', () => {
    const media = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10]); // contains CRLF and "--"
    const body = Buffer.concat([
      Buffer.from('--xyz\r\nContent-Type: application/json\r\n\r\n{"name":"o"}\r\n--xyz\r\nContent-Type: image/png\r\n\r\n'),
      media,
      Buffer.from('\r\n--xyz--'),
    ]);
    const parts = parseMultipart(body, 'xyz');
    expect(parts).toHaveLength(2);
    expect(parts[0]!.body.toString()).toBe('{"name":"o"}');
    expect(parts[1]!.headers['content-type']).toBe('image/png');
    expect(parts[1]!.body.equals(media)).toBe(true);
  });

  it('splits the LF-only body gcloud storage cp sends, keeping the media\'s own trailing CR and LF bytes', () => {
    const b = '===============6667415504518750700==';
    const gcloudBody = (media: string) =>
      Buffer.from(
        `--${b}\nContent-Type: application/json\nMIME-Version: 1.0\n\n{"bucket": "gtest", "name": "dir/small.txt"}\n` +
          `--${b}\nContent-Type: text/plain\nMIME-Version: 1.0\nContent-Transfer-Encoding: binary\n\n${media}\n--${b}--\n`,
        'latin1',
      );
    const parts = parseMultipart(gcloudBody('hello\n'), b); // captured from gcloud 528 for a file "hello\n"
    expect(parts.map((p) => p.body.toString())).toEqual(['{"bucket": "gtest", "name": "dir/small.txt"}', 'hello\n']);
    expect(parts[1]!.headers['content-type']).toBe('text/plain');
    expect(parseMultipart(gcloudBody('ends in CR\r'), b)[1]!.body.toString()).toBe('ends in CR\r');
    expect(parseMultipart(gcloudBody(''), b)[1]!.body.length).toBe(0);
  });

  it('rejects truncated bodies', () => {
    expect(() => parseMultipart(Buffer.from('--xyz\r\nContent-Type: a\r\n\r\nno end'), 'xyz')).toThrow(/closing boundary/);
    expect(() => parseMultipart(Buffer.from('nothing here'), 'xyz')).toThrow(/boundary not found/);
  });
});
