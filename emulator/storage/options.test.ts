import { describe, expect, it } from 'vitest';
import { OptionsError, parseCliOptions } from './options';

describe('parseCliOptions', () => {
  it('parses ports, repeatable buckets and CORS origins', () => {
    const o = parseCliOptions(['--port', '9023', '--public-port=9024', '--bucket', 'sv', '--bucket', 'sv-pub:public', '--cors-origin', 'http://a,http://b', '--cors-origin', '*']);
    expect(o.emulator).toMatchObject({
      port: 9023,
      publicPort: 9024,
      buckets: [
        { name: 'sv', public: false },
        { name: 'sv-pub', public: true },
      ],
      corsOrigins: ['http://a', 'http://b', '*'],
    });
  });

  it('explains bad input', () => {
    expect(() => parseCliOptions(['--port', 'x'])).toThrow(OptionsError);
    expect(() => parseCliOptions(['--bucket', 'a:b:c'])).toThrow(/NAME:public/);
    expect(() => parseCliOptions(['--nope'])).toThrow(/Usage/);
  });
});
