import { createHash, randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64, md5Base64, parseGoogHash } from './hashes';

describe('hashes', () => {
  it('crc32c matches the published check value', () => {
    // RFC 3720 / iSCSI check value of "123456789".
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
  });

  it('base64 crc32c agrees with the client library on random data', () => {
    for (const size of [1, 7, 1000, 65537]) {
      const data = randomBytes(size);
      const client = new CRC32C();
      client.update(data);
      expect(crc32cBase64(data)).toBe(client.toString());
    }
  });

  it('md5 is base64 of the digest', () => {
    const data = Buffer.from('hello');
    expect(md5Base64(data)).toBe(createHash('md5').update(data).digest('base64'));
  });

  it('parses x-goog-hash in either order, with either part missing', () => {
    expect(parseGoogHash('crc32c=AAAAAA==,md5=XrY7u+Ae7tCTyyK7j1rNww==')).toEqual({ crc32c: 'AAAAAA==', md5: 'XrY7u+Ae7tCTyyK7j1rNww==' });
    expect(parseGoogHash(['md5=abc==', 'crc32c=x=='])).toEqual({ md5: 'abc==', crc32c: 'x==' });
    expect(parseGoogHash(undefined)).toEqual({});
    expect(parseGoogHash('garbage')).toEqual({});
  });
});
