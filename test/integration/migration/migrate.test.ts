import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, finalLine, freshUser, reportLine, runMigrateCli, urlFor } from './support.ts';

const corpus = loadCorpus(900);
const stateFile = (): string => join(mkdtempSync(join(tmpdir(), 'mailroom-mig-')), 'state.db');

describe('mailroom migrate against Dovecot', () => {
  it('copies nested, non-ASCII folders byte-exact with dates, flags and keywords; a re-run copies only what is new', async () => {
    const src = freshUser('msrc');
    const dst = freshUser('mdst');
    const messages = corpus.slice(0, 300);
    await seedMailbox(endpointFor(src), messages);
    const state = stateFile();
    const pw = { source: src.password, target: dst.password };

    const first = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(first.code, first.stderr).toBe(0);
    expect(finalLine(first)).toMatchObject({ copied: 300, skipped: 0, failed: 0 });
    const report = reportLine(first);
    expect(report.folders.every((f) => f.missing === 0 && f.extra === 0)).toBe(true);
    // Every folder's target count is read after its uploads, the last folder copied included.
    for (const f of report.folders) expect(f.targetCount, f.sourcePath).toBe(f.sourceCount);
    expect(report.folders.map((f) => f.sourcePath)).toEqual(expect.arrayContaining(['Работа/Отчёты', '日本語/テスト', 'Projets/Données & Économie']));

    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.targetMessages).toBe(300);

    const again = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(again.code, again.stderr).toBe(0);
    expect(finalLine(again)).toMatchObject({ copied: 0, skipped: 300, failed: 0 });

    await seedMailbox(endpointFor(src), corpus.slice(300, 310));
    const delta = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(delta.code, delta.stderr).toBe(0);
    expect(finalLine(delta)).toMatchObject({ copied: 10, skipped: 300, failed: 0 });

    // Without the state file, identity keys still prevent duplicates.
    const fresh = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', stateFile()], pw);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(finalLine(fresh)).toMatchObject({ copied: 0, skipped: 310, failed: 0 });
    const end = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([end.missing, end.extra]).toEqual([[], []]);
  });

  it('resumes after SIGKILL with nothing lost and nothing duplicated', async () => {
    const src = freshUser('ksrc');
    const dst = freshUser('kdst');
    await seedMailbox(endpointFor(src), corpus.slice(0, 900));
    const state = stateFile();
    const pw = { source: src.password, target: dst.password };
    let killedAt = -1;
    const killed = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state, '--concurrency', '2'], pw, (line, kill) => {
      if (killedAt < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
        killedAt = Number(line['copied']);
        kill();
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(900);

    const resumed = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(resumed.code, resumed.stderr).toBe(0);
    // The copies in flight at the kill, found on the target by key, are compared by content too.
    const content = reportLine(resumed)['content'] as { checked: number; differed: number; unchecked: number } | null;
    expect(content).toMatchObject({ differed: 0, unchecked: 0 });
    expect(content?.checked).toBeGreaterThan(0);
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.targetMessages).toBe(900);
  });

  it('refuses a message over the target limit with a clear per-message error and copies the rest', async () => {
    const src = freshUser('bsrc');
    // Dovecot 2.3 quota plugin: quota_max_mail_size refuses bigger APPENDs with NO [LIMIT].
    const dst = freshUser('bdst', 'userdb_quota_max_mail_size=8k');
    const messages = corpus.slice(0, 120);
    const big = messages.filter((m) => m.content.length > 8 * 1024).length;
    expect(big).toBeGreaterThan(0);
    await seedMailbox(endpointFor(src), messages);
    const run = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', stateFile()], { source: src.password, target: dst.password });
    expect(run.code).toBe(1);
    expect(finalLine(run)).toMatchObject({ copied: 120 - big, failed: big });
    expect(reportLine(run).failures.every((f) => f.errorCode === 'imap.tooLarge')).toBe(true);
    const client = new ImapFlow(imapFlowOptions(endpointFor(src)));
    client.on('error', () => undefined);
    await client.connect();
    const total = (await client.list({ statusQuery: { messages: true } })).reduce((n, f) => n + (f.status?.messages ?? 0), 0);
    await client.logout();
    expect(total).toBe(120);
  });

  it('reports a wrong password, an unreachable host and a pinned-certificate mismatch as clear errors', async () => {
    const src = freshUser('esrc');
    const dst = freshUser('edst');
    await seedMailbox(endpointFor(src), corpus.slice(0, 5));
    const wrong = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', stateFile()], { source: src.password, target: 'nope' });
    expect(wrong.code).toBe(1);
    expect(reportLine(wrong).error?.code).toBe('imap.auth');

    const unreachable = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst, 1), '--state', stateFile()], { source: src.password, target: dst.password });
    expect(unreachable.code).toBe(1);
    expect(reportLine(unreachable).error?.code).toBe('imap.connection');

    const pin = 'AA:'.repeat(31) + 'AA';
    const mismatch = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--target-pin', pin, '--state', stateFile()], { source: src.password, target: dst.password });
    expect(mismatch.code).toBe(1);
    expect(reportLine(mismatch).error?.code).toBe('imap.tls');
  });
});
