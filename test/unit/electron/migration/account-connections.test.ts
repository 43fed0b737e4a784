import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../../../../shared/errors/result.ts';
import { AccountConnections, accountKey } from '../../../../electron/migration/account-connections.ts';
import { ConnectionCap } from '../../../../electron/migration/connection-cap.ts';

const account = { host: 'Mail.Example.test', port: 993, user: 'Alice@example.test' };
const opens = (): Promise<Result<{ alive: boolean }>> => Promise.resolve(ok({ alive: true }));

// Two runs of one account, each with its own cap, as two pairs of a batch have.
function twoRuns(limit = 10, signal?: AbortSignal): { a: ConnectionCap; b: ConnectionCap; registry: AccountConnections; shares: ReturnType<AccountConnections['join']>[] } {
  const registry = new AccountConnections();
  const shares = [registry.join(account, limit), registry.join({ ...account, host: 'mail.example.test' }, limit)];
  const [a, b] = shares.map((share) => new ConnectionCap('source', [], 10, { account: share, signal }));
  return { a: a!, b: b!, registry, shares };
}

async function fill(cap: ConnectionCap): Promise<{ alive: boolean }[]> {
  const held: { alive: boolean }[] = [];
  for (let r = await cap.open(opens); r?.ok; r = await cap.open(opens)) held.push(r.value);
  return held;
}

describe('the connections of an account shared by several runs', () => {
  it('is one account whatever the case of host and user', () => {
    expect(accountKey(account)).toBe(accountKey({ ...account, user: 'alice@EXAMPLE.test', host: 'mail.example.TEST' }));
    expect(accountKey(account)).not.toBe(accountKey({ ...account, port: 143 }));
  });

  it('gives each run half of the limit, and the whole of it to a run alone', async () => {
    const { a, b, registry, shares } = twoRuns();
    expect((await fill(a)).length).toBe(5);
    expect((await fill(b)).length).toBe(5);
    for (const c of [a, b]) c.dispose();
    registry.leave(shares[1]);
    const alone = new ConnectionCap('source', [], 10, { account: registry.join(account, 10) });
    // The first run still has its place (whatever it holds now): half the limit for this one until it leaves.
    expect((await fill(alone)).length).toBe(5);
    registry.leave(shares[0]);
    expect((await fill(alone)).length).toBe(5);
    alone.dispose();
  });

  it('tells a run over its share once another run joins, and frees the place of a connection that closed', async () => {
    const registry = new AccountConnections();
    const first = new ConnectionCap('target', [], 10, { account: registry.join(account, 10) });
    const held = await fill(first);
    expect([held.length, first.over]).toEqual([10, false]);
    const second = new ConnectionCap('target', [], 10, { account: registry.join(account, 10) });
    expect([first.over, second.room]).toEqual([true, false]);
    held[0]!.alive = false;
    expect(first.count).toBe(9);
    expect(second.room).toBe(true);
    for (const c of [first, second]) c.dispose();
  });

  it('has a connection a run cannot do without wait for another run to free a place, not past an abort', async () => {
    const controller = new AbortController();
    const { a, b } = twoRuns(4, controller.signal);
    const held = [...(await fill(a)), ...(await fill(b))];
    expect(held.length).toBe(4);
    let admitted = false;
    const waiting = b.admit().then(() => (admitted = true));
    await new Promise((r) => setTimeout(r, 250));
    expect(admitted).toBe(false);
    held[0]!.alive = false;
    await waiting;
    // Full again: an abort ends the wait at once.
    const forced = await b.open(opens, true);
    expect(forced?.ok).toBe(true);
    const stopping = a.admit();
    controller.abort();
    await stopping;
    for (const c of [a, b]) c.dispose();
  });

  it('counts a connection the run cannot do without from the call, so no other opener of the run takes its place meanwhile', async () => {
    // A run alone (the CLI's own count), a limit of 1: the delta-cap integration test's 4th target login, in small.
    const registry = new AccountConnections();
    const share = registry.join(account, 1);
    const cap = new ConnectionCap('target', [], 1, { account: share });
    let land!: (r: Result<{ alive: boolean }>) => void;
    const forced = cap.open(() => new Promise<Result<{ alive: boolean }>>((resolve) => (land = resolve)), true);
    expect(cap.room).toBe(false);
    expect(await cap.open(opens)).toBeNull();
    land(ok({ alive: true }));
    expect((await forced)?.ok).toBe(true);
    cap.dispose();
    registry.leave(share);
  });

  it('takes the lowest limit of the runs that share the account, and starts afresh once they all left', () => {
    const registry = new AccountConnections();
    const first = registry.join(account, 10)!;
    const second = registry.join(account, 6)!;
    expect(new Int32Array(first.buffer)[0]).toBe(6);
    registry.leave(first);
    registry.leave(second);
    expect(new Int32Array(registry.join(account, 10)!.buffer)[0]).toBe(10);
  });
});
