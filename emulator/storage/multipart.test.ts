import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from './multipart';

describe('multipart/related', () => {
  it('reads the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/related; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/related; type="application/json"; boundary="a b"')).toBe('a b');
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

  it('rejects truncated bodies', () => {
    expect(() => parseMultipart(Buffer.from('--xyz\r\nContent-Type: a\r\n\r\nno end'), 'xyz')).toThrow(/closing boundary/);
    expect(() => parseMultipart(Buffer.from('nothing here'), 'xyz')).toThrow(/boundary not found/);
  });
});
