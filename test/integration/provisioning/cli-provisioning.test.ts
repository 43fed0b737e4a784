import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const cli = (dataDir: string, ...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MAILBOX_PW: 'From-env-1' } });

describe('mailroom provisioning CLI on a PostfixAdmin SQLite database (through the router and the cache)', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-'));
    const added = await cli(dataDir, 'connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', db.target.path!, '--json');
    expect(added.code, added.out + added.err).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates domains, mailboxes, aliases and forwards, lists them from the cache and journals each change', async () => {
    expect((await cli(dataDir, 'domains', 'create', 'example.test', '--connection', 'box')).code).toBe(0);
    const created = await cli(dataDir, 'mailboxes', 'create', 'alice@example.test', '--connection', 'box', '--password-env', 'MAILBOX_PW', '--quota', '50MB', '--name', 'Alice');
    expect(created.code, created.err).toBe(0);
    const generated = await cli(dataDir, 'mailboxes', 'create', 'bob@example.test', '--connection', 'box', '--generate-password', '--json');
    expect(generated.out).toMatch(/generatedPassword/);
    expect((await cli(dataDir, 'aliases', 'create', 'sales@example.test', '--connection', 'box', '--to', 'alice@example.test,bob@example.test')).code).toBe(0);
    expect((await cli(dataDir, 'mailboxes', 'update', 'alice@example.test', '--connection', 'box', '--forward', 'ext@remote.test', '--keep-copy', '--suspend')).code).toBe(0);

    // --quota 50MB is 50 of PostfixAdmin's MB (stored 50 × 1 024 000 bytes) and reads back as 50 MB.
    const list = JSON.parse((await cli(dataDir, 'mailboxes', 'list', '--connection', 'box', '--search', 'ali', '--json')).out);
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ address: 'alice@example.test', active: false, forwardTargets: ['ext@remote.test'], keepCopy: true, quotaBytes: 50_000_000, stale: false });
    const domains = JSON.parse((await cli(dataDir, 'domains', 'list', '--json')).out);
    expect(domains[0]).toMatchObject({ name: 'example.test', mailboxCount: 2, connectionKind: 'postfixadmin' });
    const aliases = JSON.parse((await cli(dataDir, 'aliases', 'list', '--json')).out);
    expect(aliases.map((a: { address: string }) => a.address)).toEqual(['sales@example.test']);

    const audit = JSON.parse((await cli(dataDir, 'audit', 'list', '--json')).out);
    const entries = (audit.entries ?? audit) as { action: string; after: unknown; before: unknown }[];
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['domains.create', 'mailboxes.create', 'aliases.upsert', 'mailboxes.update', 'mailboxes.setForwarding']));
    expect(JSON.stringify(entries)).not.toContain('From-env-1');
    const update = entries.find((e) => e.action === 'mailboxes.update')!;
    expect(update.before).toMatchObject({ active: true });
    expect(update.after).toMatchObject({ active: false });
  });

  it('prints a dry-run diff for a CSV import and applies it afterwards', async () => {
    const csv = join(dataDir, 'import.csv');
    writeFileSync(csv, 'type,address,name,quota,targets\nmailbox,carol@example.test,Carol,100MB,\nmailbox,alice@example.test,Alice Smith,,\nalias,sales@example.test,,,alice@example.test\ndomain,example.test,,,\n');
    const dry = await cli(dataDir, 'import', csv, '--connection', 'box', '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('+ mailbox carol@example.test');
    expect(dry.out).toContain('~ mailbox alice@example.test');
    expect(dry.out).toContain('~ alias sales@example.test');
    expect(dry.out).toContain('= domain example.test');
    expect(JSON.parse((await cli(dataDir, 'mailboxes', 'list', '--search', 'carol', '--json')).out).total).toBe(0);
    const applied = await cli(dataDir, 'import', csv, '--connection', 'box');
    expect(applied.code, applied.out + applied.err).toBe(0);
    expect(applied.out).toMatch(/carol@example.test {2}password \(shown once\)/);
    expect(JSON.parse((await cli(dataDir, 'mailboxes', 'list', '--search', 'carol', '--json')).out).total).toBe(1);
  });
});
