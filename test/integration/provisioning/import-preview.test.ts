import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../shared/domain/import.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const MB5 = 5 * 1024 * 1024;

// A hostile file through `mailroom import --dry-run`, then for real, against PostfixAdmin on SQLite:
// the preview must say exactly what the apply does, line for line, and the database must agree.
describe('import: the dry run refuses exactly what the apply refuses (PostfixAdmin on SQLite)', () => {
  let db: TestDatabase;
  let dataDir: string;
  const vault = new MemoryVault();
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, vault, env: { PW: 'Secret-pass-1' } });
  const rows = <T>(sql: string, ...params: unknown[]): T[] => {
    const sqlite = new Database(db.target.path!, { readonly: true });
    try {
      return sqlite.prepare(sql).all(...params) as T[];
    } finally {
      sqlite.close();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mr-import-preview-'));
    // PostfixAdmin enforces mailbox and domain quotas only where the site says so.
    const site = join(dataDir, 'config.local.php');
    writeFileSync(site, "<?php\n$CONF['quota'] = 'YES';\n$CONF['domain_quota'] = 'YES';\n");
    expect((await cli('connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', db.target.path!, '--site-config', site)).code).toBe(0);
    expect((await cli('domains', 'create', 'example.test', '--connection', 'box', '--max-mailbox', 'unlimited', '--quota', 'unlimited')).code).toBe(0);
    // 100 MB a mailbox at most, 250 MB in all (one PostfixAdmin MB shows as one MB in Mailroom).
    expect((await cli('domains', 'create', 'limited.test', '--connection', 'box', '--max-mailbox', '100MB', '--quota', '250MB')).code).toBe(0);
    expect((await cli('mailboxes', 'create', 'keep@example.test', '--connection', 'box', '--password-env', 'PW', '--quota', '1GiB', '--name', 'Keep Me')).code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compares the dry run and the real run row for row', async () => {
    const lines = [
      'type,address,name,quota,targets',
      'mailbox,ü@example.test,,,',
      'mailbox,ana@example.test,,99999999999999999999TB,',
      'mailbox,dup@example.test,Dup,,',
      'mailbox,dup@example.test,Dup again,,',
      'domain,-bad.example.com,,,',
      'mailbox,"""quoted local""@example.test",,,',
      `mailbox,big@example.test,${'n'.repeat(MB5)},,`,
      'mailbox,*@example.test,,,',
      'domain,bad_name.example.test,,,',
      'mailbox,ana@bücher.example.test,,,',
      'mailbox,over@limited.test,,200MB,',
      'mailbox,b@limited.test,,90MB,',
      'mailbox,c@limited.test,,90MB,',
      'mailbox,d@limited.test,,90MB,',
      'mailbox,e@limited.test,,,',
      'mailbox,keep@example.test,,,',
      'alias,sales@example.test,,,dup@example.test;b@limited.test',
      'alias,*@example.test,,,dup@example.test',
      'mailbox,ghost@nowhere.test,,,',
      'forward,nobody@example.test,,,x@remote.test',
    ];
    const file = join(dataDir, 'hostile.csv');
    writeFileSync(file, lines.join('\n'));

    const dryRun = await cli('import', file, '--connection', 'box', '--dry-run', '--json');
    expect(dryRun.code, dryRun.err).toBe(1);
    const dry = dryRun.json() as ImportReport;
    const kinds = Object.fromEntries(dry.steps.map((s) => [s.line, s.kind]));
    // Refused in the preview: every hostile line, the quotas over the domain's limits, lines without a home.
    for (const line of [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 20, 21]) expect(kinds[line], `line ${line}: ${JSON.stringify(dry.steps.find((s) => s.line === line))}`).toBe('error');
    for (const line of [4, 13, 14, 18, 19]) expect(kinds[line], `line ${line}`).toBe('create');
    expect(kinds[17]).toBe('unchanged');
    const detail = (line: number) => dry.steps.find((s) => s.line === line)!.detail;
    expect(detail(12)).toBe('200 MB exceeds the per-mailbox maximum of limited.test (100 MB).');
    // Lines 13 and 14 take 2 × 90 MB of the 250: 90 more (line 15) does not fit, and a blank quota is unlimited (line 16).
    expect(detail(15)).toBe('limited.test has 70 MB of its 250 MB total left; 90 MB does not fit.');
    expect(detail(16)).toBe('Mailboxes on limited.test need a quota of at most 100 MB; unlimited is not allowed there.');
    expect(JSON.stringify(dry).length).toBeLessThan(50_000);
    expect(rows('SELECT username FROM mailbox ORDER BY username')).toEqual([{ username: 'keep@example.test' }]);

    const realRun = await cli('import', file, '--connection', 'box', '--json');
    const real = realRun.json() as ImportReport;
    expect(real.steps).toEqual(dry.steps);
    const accepted = dry.steps.filter((s) => s.kind === 'create' || s.kind === 'update');
    expect(real.applied.map((a) => [a.line, a.ok, a.error?.message ?? null])).toEqual(accepted.map((s) => [s.line, true, null]));
    expect(realRun.code).toBe(1);

    // The database holds exactly what the preview accepted, and the blank cells left keep@ as it was.
    expect(rows<{ username: string }>('SELECT username FROM mailbox ORDER BY username').map((r) => r.username)).toEqual(['b@limited.test', 'c@limited.test', 'dup@example.test', 'keep@example.test']);
    expect(rows<{ address: string }>("SELECT address FROM alias WHERE address NOT IN (SELECT username FROM mailbox) ORDER BY address").map((r) => r.address)).toEqual(['@example.test', 'sales@example.test']);
    expect(rows('SELECT name, quota FROM mailbox WHERE username = ?', 'keep@example.test')).toEqual([{ name: 'Keep Me', quota: 1074 * 1_024_000 }]);
    expect(rows("SELECT domain FROM domain WHERE domain <> 'ALL' ORDER BY domain")).toEqual([{ domain: 'example.test' }, { domain: 'limited.test' }]);

    // The same writes made one by one, without the preview, are refused by the platform for the same reasons.
    const direct = await cli('mailboxes', 'create', 'd@limited.test', '--connection', 'box', '--password-env', 'PW', '--quota', '90MB');
    expect(direct.code).toBe(1);
    expect(direct.err).toContain(detail(15));
    const over = await cli('mailboxes', 'create', 'over@limited.test', '--connection', 'box', '--password-env', 'PW', '--quota', '200MB');
    expect(over.err).toContain(detail(12));
    const duplicate = await cli('mailboxes', 'create', 'dup@example.test', '--connection', 'box', '--password-env', 'PW');
    expect(duplicate.code).toBe(1);
  });

  it('clears a quota only when asked: blank leaves 1 GiB, none makes it unlimited, and the dry run shows it', async () => {
    const file = join(dataDir, 'quota.csv');
    writeFileSync(file, 'address,display_name,quota_mb\nkeep@example.test,,\n');
    const blank = await cli('import', file, '--connection', 'box', '--dry-run');
    expect(blank.out).toContain('= mailbox keep@example.test');
    writeFileSync(file, 'address,display_name,quota_mb\nkeep@example.test,,none\n');
    const cleared = await cli('import', file, '--connection', 'box', '--dry-run');
    expect(cleared.out).toMatch(/~ mailbox keep@example\.test {2}quota 1\.07 GB → unlimited/);
    expect((await cli('import', file, '--connection', 'box')).code).toBe(0);
    expect(rows('SELECT name, quota FROM mailbox WHERE username = ?', 'keep@example.test')).toEqual([{ name: 'Keep Me', quota: 0 }]);
  });
});
