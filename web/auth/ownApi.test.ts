import { describe, expect, it } from 'vitest';
import { normalizeApiUrl, ownApiFor, signedInApiDeps } from './ownApi';

const OWN = 'https://us-central1-lab.cloudfunctions.net/api';

describe('ownApiFor: sign-in tokens go only to the deployment\'s own API', () => {
  it('allows signed-in calls to a backend of this deployment, trailing slashes aside', () => {
    expect(ownApiFor(OWN, { apiUrl: OWN })).toEqual({ apiUrl: OWN, reason: null });
    expect(ownApiFor(`${OWN}/`, { apiUrl: OWN })).toEqual({ apiUrl: OWN, reason: null });
    expect(ownApiFor(OWN, { apiUrl: `${OWN}//` }).apiUrl).toBe(OWN);
  });

  it('never hands the token to a backend config that names another API, and says why', () => {
    for (const other of [
      'https://evil.example.org/api', // another host
      'https://us-central1-lab.cloudfunctions.net/api2', // another path
      'https://us-central1-lab.cloudfunctions.net/api/../x', // path tricks normalise to another path
      'http://us-central1-lab.cloudfunctions.net/api', // another scheme
      'https://us-central1-lab.cloudfunctions.net:8443/api', // another port
      'https://us-central1-lab.cloudfunctions.net.evil.org/api', // a prefix of the host is not the host
      'https://us-central1-lab.cloudfunctions.net@evil.org/api', // userinfo
      'javascript:alert(1)',
      'not a url',
    ]) {
      const own = ownApiFor(OWN, { apiUrl: other });
      expect(own.apiUrl, other).toBeNull();
      expect(own.reason, other).toMatch(/another deployment .* only to its own API/);
      expect(signedInApiDeps(own, async () => 'token'), other).toBeNull();
    }
  });

  it('sends tokens nowhere when config.json names no API', () => {
    const own = ownApiFor(undefined, { apiUrl: OWN });
    expect(own.apiUrl).toBeNull();
    expect(own.reason).toMatch(/config\.json names no API/);
  });

  it('signed-in deps carry the own API, never the backend\'s, and need a token source', () => {
    const own = ownApiFor(OWN, { apiUrl: OWN });
    expect(signedInApiDeps(own, null)).toBeNull();
    expect(signedInApiDeps(own, async () => 't')?.apiUrl).toBe(OWN);
  });

  it('normalizes only http(s) URLs', () => {
    expect(normalizeApiUrl('https://a.b/c/')).toBe('https://a.b/c');
    expect(normalizeApiUrl('ftp://a.b/c')).toBeNull();
  });
});
