import { describe, expect, it } from 'vitest';
import { davChoice } from '../../../../electron/cli/commands/migrate-dav-choice.ts';
import { davUrlProblem } from '../../../../electron/dav/dav-url.ts';
import { davEndpoint } from '../../../../electron/migration/plan-dav.ts';

describe('DAV URLs of plan pairs', () => {
  it('accepts https and loopback http, refuses passwords, clear-text http and other schemes', () => {
    expect(davUrlProblem('https://dav.example.com/')).toBeNull();
    expect(davUrlProblem('http://carol@127.0.0.1:5232/')).toBeNull();
    expect(davUrlProblem('https://carol:pw@dav.example.com/')).toMatch(/no password in the DAV URL/);
    expect(davUrlProblem('http://dav.example.com/')).toMatch(/in clear/);
    expect(davUrlProblem('ftp://dav.example.com/')).toMatch(/not a CalDAV\/CardDAV scheme/);
    expect(davUrlProblem('dav.example.com')).toMatch(/not a URL/);
  });

  it("logs in as the URL's user when it names one, else as the IMAP user, always with the IMAP password", () => {
    expect(davEndpoint('https://carol%40x.example@dav.example.com/dav/', 'ana@x.example', 'pw')).toEqual({ url: 'https://dav.example.com/dav/', user: 'carol@x.example', password: 'pw' });
    expect(davEndpoint('https://dav.example.com/', 'ana@x.example', 'pw')).toEqual({ url: 'https://dav.example.com/', user: 'ana@x.example', password: 'pw' });
  });

  it('copies both kinds by default, only the one named, and skips the ones turned off', () => {
    expect(davChoice({})).toEqual({ calendars: true, contacts: true });
    expect(davChoice({ calendars: true })).toEqual({ calendars: true, contacts: false });
    expect(davChoice({ 'no-contacts': true })).toEqual({ calendars: true, contacts: false });
    expect(() => davChoice({ calendars: true, 'no-calendars': true })).toThrow(/contradict/);
  });
});
