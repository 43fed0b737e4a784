import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  EXTERNAL_HOSTS,
  isAllowedExternalUrl,
  isPermissionAllowed,
  isTrustedSender,
  senderFacts,
} from '../../../../electron/app/shell-policy.ts';

describe('external links', () => {
  it('opens only https URLs on the listed hosts', () => {
    for (const host of EXTERNAL_HOSTS) expect(isAllowedExternalUrl(`https://${host}/some/page?x=1#y`), host).toBe(true);
    expect(isAllowedExternalUrl('https://ADMIN.GOOGLE.COM/')).toBe(true);
  });

  it('refuses everything else, including look-alikes', () => {
    for (const url of [
      'https://example.com/',
      'http://admin.google.com/',
      'https://admin.google.com.evil.example/',
      'https://evil.admin.google.com/',
      'https://admin.google.com:8443/',
      'https://user:pw@admin.google.com/',
      'https://user@admin.google.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mailto:ana@example.com',
      'app://mailroom/index.html',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('turns an allowed URL into its canonical form and denies the rest', () => {
    expect(decideNavigation('https://admin.google.com/ac/users')).toEqual({ action: 'open-external', url: 'https://admin.google.com/ac/users' });
    expect(decideNavigation('https://anything.example/')).toEqual({ action: 'deny' });
    expect(decideNavigation('app://mailroom/other.html')).toEqual({ action: 'deny' });
    // The browser gets the parsed form, the very URL that was checked, never the raw string.
    expect(decideNavigation('https://admin%2egoogle.com/a/../b')).toEqual({ action: 'open-external', url: 'https://admin.google.com/b' });
  });
});

describe('IPC sender check', () => {
  const mainFrame = { url: 'app://mailroom/index.html#/domains', parent: null, frameTreeNodeId: 7 };
  const window = { id: 3, mainFrame };
  const trusted = new Set([3]);
  const check = (event: { sender: unknown; senderFrame?: unknown }): boolean => isTrustedSender(senderFacts(event), trusted);

  it('accepts the main frame of the app window on the app origin', () => {
    expect(senderFacts({ sender: window, senderFrame: mainFrame })).toEqual({ webContentsId: 3, frameUrl: mainFrame.url, isMainFrame: true });
    expect(check({ sender: window, senderFrame: mainFrame })).toBe(true);
  });

  it('refuses sub-frames, other windows, other origins and missing frames', () => {
    const child = { url: 'app://mailroom/index.html', parent: mainFrame, frameTreeNodeId: 8 };
    expect(check({ sender: window, senderFrame: child })).toBe(false);
    expect(check({ sender: { id: 4, mainFrame }, senderFrame: mainFrame })).toBe(false);
    for (const url of ['file:///home/ana/evil.html', 'https://mailroom/', 'app://other/index.html', 'app://mailroom:1/index.html', 'about:blank', 'app://user@mailroom/', '']) {
      const frame = { ...mainFrame, url };
      expect(check({ sender: { id: 3, mainFrame: frame }, senderFrame: frame }), url).toBe(false);
    }
    expect(check({ sender: window, senderFrame: null })).toBe(false);
    expect(check({ sender: window })).toBe(false);
    expect(check({ sender: null, senderFrame: mainFrame })).toBe(false);
    // A top-level frame that is not the window's main frame (e.g. a stale or foreign frame object).
    expect(check({ sender: window, senderFrame: { ...mainFrame, frameTreeNodeId: 99 } })).toBe(false);
  });
});

describe('permissions', () => {
  it('grants clipboard writing to the app main frame only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://mailroom/index.html', true)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://mailroom', true)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://mailroom/index.html', false)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://admin.google.com/', true)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'file:///index.html', true)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, true)).toBe(false);
  });

  it('refuses everything else, even to the app', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'fileSystem', 'display-capture', 'unknown']) {
      expect(isPermissionAllowed(permission, 'app://mailroom/index.html', true), permission).toBe(false);
    }
  });
});
