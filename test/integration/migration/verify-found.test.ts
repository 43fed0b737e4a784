import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startTcpProxy } from '../../fakes/tcp-proxy.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const corpus = loadCorpus(61);
const MESSAGES = [...corpus.slice(0, 40).map((m) => ({ ...m, folder: 'INBOX' })), ...corpus.slice(40, 60).map((m) => ({ ...m, folder: 'Other' }))];

describe('the deep check after verification by content', () => {
  it('looks up no copy the content check found at its APPENDUID, and still finds a copy gone when the check did not see it', async () => {
    const src = freshUser('vfsrc');
    const dst = freshUser('vfdst');
    await seedMailbox(endpointFor(src), MESSAGES);
    const up: string[] = [];
    const proxy = await startTcpProxy({
      targetHost: '127.0.0.1',
      targetPort: servers().imap.port,
      delayMs: 0,
      noDelay: true,
      dropWhen: (chunk, direction) => {
        if (direction === 'up') up.push(chunk.toString('latin1', 0, 200));
        return false;
      },
    });
    const store = new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-found-')), 'state.db')), 'job');
    const target = { ...endpointFor(dst), port: proxy.port, tls: 'none' as const };
    try {
      const first = await runMigration({ source: endpointFor(src), target, store, verify: true });
      expect(first.content).toMatchObject({ checked: 60, differed: 0, unchecked: 0 });
      // Every copy was read back at its APPENDUID by the content check: the deep check asks the target nothing more.
      expect(up.filter((c) => / UID SEARCH /.test(c))).toEqual([]);
      // (The test server gives every user its special-use folders, empty here.)
      expect(first.verification.filter((v) => ['INBOX', 'Other'].includes(v.sourcePath)).map((v) => [v.sourcePath, v.copied, v.missing, v.extra, v.deep]).sort()).toEqual([
        ['INBOX', 40, 0, 0, true],
        ['Other', 20, 0, 0, true],
      ]);
      // One copy of the first pass gone from the target, and new mail in its folder: this pass's check compares only the new copy,
      // so the deep check looks the folder up again and finds the loss.
      const client = new ImapFlow(imapFlowOptions(endpointFor(dst)));
      client.on('error', () => undefined);
      await client.connect();
      await client.mailboxOpen('Other');
      await client.messageDelete('1', { uid: true });
      await client.logout();
      await seedMailbox(endpointFor(src), [{ ...corpus[60]!, folder: 'Other' }]);
      up.length = 0;
      const second = await runMigration({ source: endpointFor(src), target, store, verify: true });
      expect(second.content).toMatchObject({ checked: 1, differed: 0 });
      expect(up.some((c) => / UID (SEARCH|FETCH) [\d:,]+ \(UID\)|UID SEARCH/.test(c))).toBe(true);
      expect(second.verification.find((v) => v.sourcePath === 'Other')).toMatchObject({ missing: 1, deep: true });
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
