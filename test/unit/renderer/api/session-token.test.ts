// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { takeSessionToken } from '../../../../renderer/api/session-token.ts';

describe('session token', () => {
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', '/');
  });

  it('moves #token=… into sessionStorage and strips it from the address', () => {
    history.replaceState(null, '', '/index.html?x=1#token=abc%2Fdef');
    expect(takeSessionToken(window)).toBe('abc/def');
    expect(location.hash).toBe('');
    expect(location.href).not.toContain('abc');
    expect(location.search).toBe('?x=1');
    expect(sessionStorage.getItem('mailroom.session-token')).toBe('abc/def');
  });

  it('finds the token again after a reload, when the fragment is a route', () => {
    history.replaceState(null, '', '/#token=t1');
    takeSessionToken(window);
    history.replaceState(null, '', '/#/connections');
    expect(takeSessionToken(window)).toBe('t1');
    expect(location.hash).toBe('#/connections');
  });

  it('answers null for a tab opened without a token', () => {
    expect(takeSessionToken(window)).toBeNull();
  });
});
