import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { Router, type HandlerTable } from '../../../../electron/ipc/router.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { ok, err } from '../../../../shared/errors/result.ts';

function setup(handlers: Record<string, Record<string, unknown>>) {
  const db = openDatabase(':memory:');
  const journal = new AuditJournal(db, { vault: new MemoryVault(), journalId: 'router-test' });
  const logger = createMemoryLogger();
  const events = new EventBus();
  const appended: unknown[] = [];
  events.on('audit.appended', (e) => appended.push(e));
  const router = new Router({ handlers: handlers as unknown as HandlerTable, journal, logger, events, operator: 'alice' });
  return { router, journal, logger, appended };
}

const validImap = { name: 'Main', host: 'imap.example.com', port: 993, tls: 'implicit', user: 'a@example.com', password: 's3cret-pw' };

describe('Router', () => {
  it('rejects unknown channels and malformed names with input.invalid', async () => {
    const { router } = setup({});
    for (const channel of ['nope.list', 'connections', 'connections.list.extra', 'connections.__proto__', 'toString.call']) {
      const result = await router.dispatch(channel, []);
      expect(result.ok, channel).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('input.invalid');
    }
  });

  it('validates arguments against the shared schema before the handler runs', async () => {
    let called = 0;
    const { router } = setup({ connections: { addImap: () => (called++, ok({})) } });
    const bad = await router.dispatch('connections.addImap', [{ ...validImap, port: 70000 }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('input.invalid');
      expect(bad.error.message).toMatch(/port/);
    }
    const badHost = await router.dispatch('connections.addImap', [{ ...validImap, host: 'bad host!' }]);
    expect(badHost.ok).toBe(false);
    const missing = await router.dispatch('connections.addImap', []);
    expect(missing.ok).toBe(false);
    expect(called).toBe(0);
  });

  it('passes parsed (normalised) input to the handler', async () => {
    let seen: unknown;
    const { router } = setup({ connections: { addImap: ([input]: [unknown]) => ((seen = input), ok({ id: 'x' })) } });
    const result = await router.dispatch('connections.addImap', [{ ...validImap, host: ' IMAP.Example.COM. ' }]);
    expect(result.ok).toBe(true);
    expect((seen as { host: string }).host).toBe('imap.example.com');
  });

  it('turns a thrown error into internal, logs it, and keeps the stack out of the result', async () => {
    const { router, logger } = setup({ app: { info: () => { throw new Error('boom at line 42'); } } });
    const result = await router.dispatch('app.info', []);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).not.toContain('boom');
    }
    expect(logger.lines.join('\n')).toContain('boom at line 42');
  });

  it('journals every mutating call, success or failure, and never read calls', async () => {
    const { router, journal, appended } = setup({
      connections: {
        list: () => ok([]),
        remove: ([id]: [string], ctx: { audit: Record<string, unknown> }) => {
          ctx.audit.object = id;
          ctx.audit.before = { name: 'Old' };
          return id === 'missing' ? err('notFound', 'gone') : ok({ id });
        },
      },
    });
    await router.dispatch('connections.list', []);
    await router.dispatch('connections.remove', ['abc']);
    await router.dispatch('connections.remove', ['missing']);
    const { entries } = journal.list();
    expect(entries.map((e) => [e.action, e.object, e.result, e.errorCode, e.operator])).toEqual([
      ['connections.remove', 'missing', 'error', 'notFound', 'alice'],
      ['connections.remove', 'abc', 'ok', null, 'alice'],
    ]);
    expect(entries[1]!.before).toEqual({ name: 'Old' });
    expect(appended).toHaveLength(2);
    expect(await journal.verify()).toMatchObject({ ok: true, value: { ok: true, checked: 2 } });
  });

  it('reports cancellation as cancelled, not internal', async () => {
    const { router } = setup({
      connections: {
        test: (_args: unknown, ctx: { signal: AbortSignal }) =>
          new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
      },
    });
    const abort = new AbortController();
    const pending = router.dispatch('connections.test', ['id'], abort.signal);
    abort.abort();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('cancelled');
  });
});
