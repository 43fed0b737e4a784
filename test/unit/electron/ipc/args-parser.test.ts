import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { ok } from '../../../../shared/errors/result.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';

const REPO = join(import.meta.dirname, '../../../..');

// Fresh copies of the router and its loader, so each test sees the validators not yet loaded.
async function freshRouter() {
  vi.resetModules();
  const { Router } = await import('../../../../electron/ipc/router.ts');
  const parser = await import('../../../../shared/ipc/args-parser.ts');
  return { Router, parser };
}

describe('argsParser', () => {
  it('loads the validators once, on the first call, and hands them out without waiting afterwards', async () => {
    const { parser } = await freshRouter();
    expect(parser.loadedArgsParser()).toBeNull();
    const [a, b] = await Promise.all([parser.argsParser(), parser.argsParser()]);
    expect(a).toBe(b);
    expect(parser.loadedArgsParser()).toBe(a);
    expect(a('domains', 'list', [{}])).toMatchObject({ ok: true });
  });

  it('reports a first call cancelled while the validators load as cancelled, journaled, without running its handler', async () => {
    const { Router, parser } = await freshRouter();
    const journal = new AuditJournal(openDatabase(':memory:'), { vault: new MemoryVault(), journalId: 'args-parser-test' });
    let ran = 0;
    const handlers = { connections: { remove: () => (ran++, ok({ value: null, before: null, after: null })) } };
    const router = new Router({ handlers: handlers as never, journal, logger: createMemoryLogger(), events: new EventBus(), operator: 'alice' });
    const abort = new AbortController();
    const pending = router.dispatch('connections.remove', ['abc'], abort.signal);
    abort.abort();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('cancelled');
    expect(ran).toBe(0);
    expect(parser.loadedArgsParser()).not.toBeNull();
    expect(journal.list().entries.map((e) => [e.action, e.result, e.errorCode])).toEqual([['connections.remove', 'error', 'cancelled']]);
  });

  it('keeps zod out of a process that composes the app services and dispatches nothing', () => {
    // In a plain node process (not vitest's module runner): which files the composition root's import graph loads.
    const probe = [
      "import { registerHooks } from 'node:module';",
      'const urls = [];',
      'registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });',
      "await import('./electron/app/compose.ts');",
      "process.stdout.write(JSON.stringify(urls.filter((u) => u.includes('/node_modules/zod/') || u.includes('/shared/ipc/schemas'))));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: REPO, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
