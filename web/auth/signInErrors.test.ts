import { describe, expect, it } from 'vitest';
import { signInErrorText } from './signInErrors';

const fbError = (code: string) => Object.assign(new Error(`Firebase: Error (${code}).`), { code });

describe('signInErrorText', () => {
  it('says what to do for the failures people meet, in their terms', () => {
    expect(signInErrorText(fbError('auth/network-request-failed'), 'lab.example.org')).toMatch(/could not reach Google.*offline/);
    expect(signInErrorText(fbError('auth/network-request-failed'), '127.0.0.1:8700', '127.0.0.1:8704')).toBe('Sign-in could not reach the local Auth emulator at 127.0.0.1:8704: is the local stack (npm start) still running?');
    expect(signInErrorText(fbError('auth/popup-blocked'), 'lab.example.org')).toBe('The browser blocked the sign-in window: allow pop-ups for lab.example.org and press Sign in again.');
    expect(signInErrorText(fbError('auth/unauthorized-domain'), '10.0.0.5:8700')).toMatch(/^10\.0\.0\.5:8700 is not an authorized domain.*docs\/deploy\.md/);
  });

  it('says nothing when the user closed the window', () => {
    expect(signInErrorText(fbError('auth/popup-closed-by-user'), 'h')).toBeNull();
    expect(signInErrorText(fbError('auth/cancelled-popup-request'), 'h')).toBeNull();
  });

  it('keeps the code of anything else, without the "Firebase:" prefix', () => {
    expect(signInErrorText(fbError('auth/weird-thing'), 'h')).toBe('Sign-in failed: Error (auth/weird-thing).');
    expect(signInErrorText('boom', 'h')).toBe('Sign-in failed: boom');
  });
});
