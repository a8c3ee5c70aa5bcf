import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxyHops } from './clientAddress';

const req = (xff: string | undefined, peer = '35.191.1.1') => ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress: peer } });

describe('clientAddress', () => {
  it('takes the entry Google\'s front end appended, not what the caller wrote', () => {
    expect(clientAddress(req('203.0.113.7'), 1)).toBe('203.0.113.7');
    // A caller that writes its own header only adds entries on the left.
    expect(clientAddress(req('1.2.3.4, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(req('9.9.9.9,8.8.8.8 , 203.0.113.7'), 1)).toBe('203.0.113.7');
  });

  it('gives 1000 random spoofed headers from one caller one key', () => {
    const keys = new Set(Array.from({ length: 1000 }, (_, i) => clientAddress(req(`10.${i % 256}.${i >> 8}.1, 203.0.113.7`), 1)));
    expect([...keys]).toEqual(['203.0.113.7']);
  });

  it('behind a load balancer, takes the second entry from the right', () => {
    expect(clientAddress(req('1.2.3.4, 203.0.113.7, 34.120.0.1'), 2)).toBe('203.0.113.7');
  });

  it('with nothing in front, ignores the header and keys the socket peer', () => {
    expect(clientAddress(req('1.2.3.4', '127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientAddress(req('1.2.3.4', '::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
  });

  it('falls back to the peer when the header has fewer entries than trusted proxies', () => {
    expect(clientAddress(req(undefined, '127.0.0.1'), 1)).toBe('127.0.0.1');
    expect(clientAddress(req('203.0.113.7', '127.0.0.1'), 2)).toBe('127.0.0.1');
  });

  it('keys IPv6 callers by their /64', () => {
    expect(clientAddress(req('2001:db8:1:2:aaaa::1'), 1)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(req('2001:DB8:1:2:ffff:ffff:ffff:ffff'), 1)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(req('2001:db8::1'), 1)).toBe('2001:db8:0:0::/64');
  });

  it('reads SORTINGVIEW_TRUSTED_PROXY_HOPS, refusing nonsense', () => {
    expect(trustedProxyHops(undefined)).toBe(1);
    expect(trustedProxyHops('0')).toBe(0);
    expect(trustedProxyHops('2')).toBe(2);
    expect(() => trustedProxyHops('-1')).toThrow(/integer 0-10/);
    expect(() => trustedProxyHops('yes')).toThrow(/SORTINGVIEW_TRUSTED_PROXY_HOPS/);
  });
});
