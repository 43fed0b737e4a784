import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCyrusUser, cyrusEndpoint, cyrusUrl, startCyrus, type CyrusInstance } from '../../support/cyrus.ts';
import { CORPUS_FOLDERS, loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareLogical, forCyrus } from './cyrus-compare.ts';
import { endpointFor, finalLine, freshUser, runMigrateCli, urlFor } from './support.ts';

// 230 messages reach all 23 corpus folders (nested, non-ASCII, "&", special-use) with every flag and keyword.
const corpus = loadCorpus(230);
const stateFile = (): string => join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-')), 'state.db');
// munge8bit off here so that every copy can be checked byte for byte (cyrus-munge8bit.test.ts has it on).
const instances: Record<'.' | '/', (CyrusInstance & { stop(): Promise<void> }) | null> = { '.': null, '/': null };

beforeAll(async () => {
  [instances['.'], instances['/']] = await Promise.all([startCyrus({ separator: '.', munge8bit: false }), startCyrus({ separator: '/', munge8bit: false })]);
}, 150_000);
afterAll(async () => {
  await Promise.all(Object.values(instances).map((i) => i?.stop()));
});

const logicalCorpusFolders = [...CORPUS_FOLDERS].sort();

describe.each(['.', '/'] as const)('mailroom migrate with Cyrus IMAP 3.6, separator "%s"', (separator) => {
  it('copies Dovecot → Cyrus with folder names, dates, flags and keywords intact, and a re-run copies nothing', async () => {
    const cyrus = instances[separator]!;
    const src = freshUser('cy-dsrc');
    const dst = await addCyrusUser(cyrus, 'cy-dst');
    await seedMailbox(endpointFor(src), corpus);
    const state = stateFile();
    const args = ['--source', urlFor(src), '--target', cyrusUrl(cyrus, dst), '--state', state];
    const pw = { source: src.password, target: dst.password };

    const run = await runMigrateCli(args, pw);
    expect(run.code, run.stderr).toBe(0);
    expect(finalLine(run)).toMatchObject({ copied: corpus.length, failed: 0 });
    const cmp = await compareLogical(endpointFor(src), cyrusEndpoint(cyrus, dst));
    expect(cmp.targetMessages).toBe(corpus.length);
    expect([cmp.missing, cmp.extra, cmp.altered]).toEqual([[], [], []]);
    // Dovecot's INBOX/Réunions becomes INBOX<sep>INBOX<sep>Réunions under Cyrus's INBOX<sep> prefix, so the names match;
    // Cyrus lists the parents it had to create (Clients for Clients/Ωmega) as folders of their own.
    expect(cmp.targetFolders).toEqual(expect.arrayContaining(cmp.sourceFolders));
    const parentsOnly = cmp.targetFolders.filter((f) => !cmp.sourceFolders.includes(f));
    expect(parentsOnly.filter((f) => !cmp.sourceFolders.some((s) => s.startsWith(`${f}/`)))).toEqual([]);
    expect(cmp.targetFolders).toEqual(expect.arrayContaining(logicalCorpusFolders));

    const again = await runMigrateCli(args, pw);
    expect(again.code, again.stderr).toBe(0);
    expect(finalLine(again)).toMatchObject({ copied: 0, skipped: corpus.length, failed: 0 });
  });

  it('copies Cyrus → Dovecot with folder names, dates, flags and keywords intact', async () => {
    const cyrus = instances[separator]!;
    const src = await addCyrusUser(cyrus, 'cy-src');
    const dst = freshUser('cy-ddst');
    await seedMailbox(cyrusEndpoint(cyrus, src), forCyrus(corpus, separator));
    const run = await runMigrateCli(['--source', cyrusUrl(cyrus, src), '--target', urlFor(dst), '--state', stateFile()], { source: src.password, target: dst.password });
    expect(run.code, run.stderr).toBe(0);
    expect(finalLine(run)).toMatchObject({ copied: corpus.length, failed: 0 });
    const cmp = await compareLogical(cyrusEndpoint(cyrus, src), endpointFor(dst));
    expect(cmp.sourceMessages).toBe(corpus.length);
    expect(cmp.targetMessages).toBe(corpus.length);
    expect([cmp.missing, cmp.extra, cmp.altered]).toEqual([[], [], []]);
    expect(cmp.targetFolders).toEqual(cmp.sourceFolders);
    expect(cmp.sourceFolders).toEqual(expect.arrayContaining(['Работа/Отчёты', '日本語/テスト', 'Projets/Données & Économie', 'Clients/Ωmega']));
  });
});
