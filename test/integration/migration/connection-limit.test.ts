import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { startStockDovecot, type StockAccount, type StockDovecot } from './stock-dovecot.ts';
import { fixturesDir, reportLine, runMigrateCli, urlFor, type CliRun } from './support.ts';

// The whole corpus: 23 folders, two of them large enough (Junk, Spam 2) for the content check to
// compare them on connections of their own while the copy goes on. Less the one message with a bare
// CR before CRLF, which Dovecot stores differently on the target (a known difference, not this test's).
const corpus = loadCorpus().filter((m) => !m.content.includes('\r\r'));
// New mail for the delta pass, in three folders that hold mail already.
const NEW_MAIL: CorpusMessage[] = ['INBOX', 'Junk', 'Archive/2002'].flatMap((folder, f) =>
  corpus.slice(0, 40).map((m, i) => ({ ...m, folder, content: Buffer.concat([Buffer.from(`X-Delta: ${f}-${i}\r\n`), m.content]) })),
);

type Report = ReturnType<typeof reportLine> & { complete: boolean; warnings: string[]; content: { checked: number; differed: number; unchecked: number } | null };

let dovecot: StockDovecot;

beforeAll(async () => {
  dovecot = await startStockDovecot();
});

afterAll(async () => {
  await dovecot?.stop();
});

// One CLI run between the two accounts; `verify`: `mailroom migrate verify` (copies nothing, compares every copy again).
async function migrate(src: StockAccount, dst: StockAccount, state: string, verify = false): Promise<{ run: CliRun; report: Report; source: { peak: number; refused: number }; target: { peak: number; refused: number } }> {
  const from = dovecot.logLines();
  const run = await runMigrateCli([...(verify ? ['verify'] : []), '--source', urlFor(src, dovecot.port), '--target', urlFor(dst, dovecot.port), '--state', state], { source: src.password, target: dst.password });
  // The imap processes log their logout as they see the close, a moment after the client exits.
  await new Promise((r) => setTimeout(r, 300));
  return { run, report: reportLine(run) as Report, source: dovecot.count(src.user, from), target: dovecot.count(dst.user, from) };
}

const limitWarnings = (r: Report): string[] => r.warnings.filter((w) => w.includes('Maximum number of connections'));

// A first pass, a delta pass (new mail in three folders) and a verify run: each complete, every copy compared by content.
async function threeRuns(src: StockAccount, dst: StockAccount): Promise<Awaited<ReturnType<typeof migrate>>[]> {
  const state = join(mkdtempSync(join(fixturesDir(), 'cap-state-')), 'state.db');
  const first = await migrate(src, dst, state);
  await seedMailbox(dovecot.endpoint(src), NEW_MAIL);
  const delta = await migrate(src, dst, state);
  const verify = await migrate(src, dst, state, true);
  for (const r of [first, delta, verify]) {
    expect(r.report.error).toBeNull();
    expect([r.run.code, r.report.complete, r.report.failures]).toEqual([0, true, []]);
  }
  expect(first.report.content).toMatchObject({ checked: corpus.length, differed: 0, unchecked: 0 });
  expect(verify.report.content).toMatchObject({ checked: corpus.length + NEW_MAIL.length, differed: 0, unchecked: 0 });
  return [first, delta, verify];
}

describe('migrate against a Dovecot at the stock connection limit (mail_max_userip_connections = 10)', () => {
  it('stays within 10 connections per side on a first pass, a delta pass and a verify run, as the server counts them', async () => {
    const src = dovecot.account('capsrc');
    const dst = dovecot.account('capdst');
    await seedMailbox(dovecot.endpoint(src), corpus);
    for (const r of await threeRuns(src, dst)) {
      // The server's own judgement: it refused no login of the run's (its log's order of logins and logouts can lag it by a close or two).
      expect([r.source.refused, r.target.refused]).toEqual([0, 0]);
      expect(limitWarnings(r.report)).toEqual([]);
    }
  }, 180_000);

  it('goes on with fewer connections when another client of each account holds five, refused logins and all, and verifies every copy', async () => {
    const src = dovecot.account('heldsrc');
    const dst = dovecot.account('helddst');
    await seedMailbox(dovecot.endpoint(src), corpus);
    // A desktop mail client and a phone, say: the run has 5 logins left on each side, fewer than it would open.
    const release = await Promise.all([dovecot.hold(src, 5), dovecot.hold(dst, 5)]);
    try {
      const [first] = await threeRuns(src, dst);
      // The server refused logins (its own limit held the total at 10); the run said so once for each side it happened on.
      expect(first!.source.refused + first!.target.refused).toBeGreaterThan(0);
      expect(limitWarnings(first!.report).length).toBe(Number(first!.source.refused > 0) + Number(first!.target.refused > 0));
    } finally {
      await Promise.all(release.map((r) => r()));
    }
  }, 180_000);
});
