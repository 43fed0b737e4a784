import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from '../../../../shared/errors/result.ts';
import { classifyImapError } from '../../../../electron/backends/imap/imap-errors.ts';
import { connectionLimitError, isConnectionLimit } from '../../../../electron/imap/connection-limit.ts';
import { ConnectionCap } from '../../../../electron/migration/connection-cap.ts';

const conn = (): { alive: boolean } => ({ alive: true });
const opens = (): Promise<Result<{ alive: boolean }>> => Promise.resolve(ok(conn()));
const DOVECOT = 'Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)';
const refuses = (): Promise<Result<{ alive: boolean }>> => Promise.resolve({ ok: false, error: connectionLimitError('127.0.0.1:993', DOVECOT) });

describe('ConnectionCap', () => {
  it('opens connections while there is room, and again once one closes', async () => {
    const cap = new ConnectionCap('target', [], 3);
    const held = await Promise.all([cap.open(opens), cap.open(opens), cap.open(opens)]);
    expect(await cap.open(opens)).toBeNull();
    expect(cap.count).toBe(3);
    (held[0] as { value: { alive: boolean } }).value.alive = false;
    expect((await cap.open(opens))?.ok).toBe(true);
    // One the run cannot do without is opened whatever the count.
    expect((await cap.open(opens, true))?.ok).toBe(true);
    expect(cap.count).toBe(4);
  });

  it('counts a connection from the moment it starts opening', async () => {
    const cap = new ConnectionCap('source', [], 1);
    let done!: (r: Result<{ alive: boolean }>) => void;
    const first = cap.track(new Promise<Result<{ alive: boolean }>>((r) => (done = r)));
    expect(await cap.open(opens)).toBeNull();
    done(ok(conn()));
    expect((await first).ok).toBe(true);
  });

  it('stays at what it holds once the server refuses a login as over its limit, and warns once', async () => {
    const warnings: string[] = [];
    const cap = new ConnectionCap('source', warnings);
    await Promise.all([cap.open(opens), cap.open(opens)]);
    expect(await cap.open(refuses)).toBeNull();
    expect(await cap.open(opens)).toBeNull();
    // Forced, the refusal comes back to the caller (retryable, not a wrong password).
    const forced = await cap.open(refuses, true);
    expect(forced && !forced.ok && forced.error).toMatchObject({ code: 'imap.throttled', retryable: true });
    expect(warnings).toEqual([`source 127.0.0.1:993: the server allows no more connections for this account (${DOVECOT}); this run goes on with the source connections it has`]);
  });

  it('leaves other failures to the caller without lowering the cap', async () => {
    const cap = new ConnectionCap('target', [], 2);
    const failed = await cap.open(() => Promise.resolve(err('imap.auth', 'rejected')));
    expect(failed?.ok).toBe(false);
    expect((await cap.open(opens))?.ok).toBe(true);
    expect((await cap.open(opens))?.ok).toBe(true);
  });
});

describe('a login refused over the connection limit', () => {
  it('is no wrong password, whether imapflow or the raw session met it', () => {
    const viaImapflow = classifyImapError({ authenticationFailed: true, responseStatus: 'NO', serverResponseCode: 'LIMIT', responseText: DOVECOT }, 'source h:993');
    expect(viaImapflow).toMatchObject({ code: 'imap.throttled', retryable: true });
    expect(isConnectionLimit(viaImapflow)).toBe(true);
    expect(isConnectionLimit(classifyImapError({ authenticationFailed: true, responseText: 'Authentication failed.' }, 'h'))).toBe(false);
    expect(isConnectionLimit(connectionLimitError('h', '* BYE [ALERT] Too many simultaneous connections. (Failure)'))).toBe(true);
  });
});
