import { describe, expect, it } from 'vitest';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { openDatabase } from '../../../../electron/db/database.ts';
import { Router, type HandlerTable } from '../../../../electron/ipc/router.ts';
import { VaultUnavailableError } from '../../../../electron/platform/credential-vault.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';

const FIX = 'The Secret Service keyring is not available (no D-Bus). Start and unlock a Secret Service keyring.';

describe('Router and an unavailable vault', () => {
  it('answers vault.unavailable with the fix (not internal), journals the failed mutation and logs a warning', async () => {
    const db = openDatabase(':memory:');
    const journal = new AuditJournal(db, { vault: new MemoryVault(), journalId: 'router-vault', now: () => new Date(), operator: 'mailroom-test' });
    const logger = createMemoryLogger();
    const handlers = {
      connections: {
        addImap: () => {
          throw new VaultUnavailableError(FIX);
        },
      },
    } as unknown as HandlerTable;
    const router = new Router({ handlers, journal, logger, events: new EventBus(), operator: 'alice' });
    const input = { name: 'Main', host: 'imap.example.com', port: 993, tls: 'implicit', user: 'a@example.com', password: 's3cret-pw' };
    const result = await router.dispatch('connections.addImap', [input]);
    expect(result).toEqual({ ok: false, error: { code: 'vault.unavailable', message: FIX, retryable: false } });
    expect(journal.list().entries.map((e) => [e.action, e.result, e.errorCode])).toEqual([['connections.addImap', 'error', 'vault.unavailable']]);
    const lines = logger.lines.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'vault unavailable']]);
    expect(logger.lines.join('\n')).not.toContain('s3cret-pw');
  });
});
