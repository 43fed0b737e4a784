import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalIdFor } from '../../../electron/audit/audit-keys.ts';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';
import { dataFiles } from '../../../electron/platform/paths.ts';
import type { AuditCheckpoint, AuditVerification } from '../../../shared/domain/audit.ts';
import { JournalAttacker } from '../../support/journal-attacker.ts';
import { writeOldJournal } from '../../support/old-journal.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';

// Runs inside test/servers/keyring.sh: the journal key, signing key and anchor go to a real gnome-keyring.
describe('the audit journal on the OS keychain, through the CLI', () => {
  const service = `Mailroom-audit-${randomUUID()}`;
  const vault = new KeychainVault(service);
  let root: string;
  let dataDir: string;
  let checkpointFile: string;
  const cli = (args: string[], dir = dataDir) => runCli(['--data-dir', dir, ...args], { env: { MAILROOM_KEYCHAIN_SERVICE: service } });
  const verify = async (...extra: string[]) => {
    const run = await cli(['audit', 'verify', ...extra, '--json']);
    return { code: run.code, v: lastJson<AuditVerification>(run) };
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'mailroom-audit-'));
    dataDir = join(root, 'data');
    checkpointFile = join(root, 'checkpoint.json');
  });

  afterAll(async () => {
    for (const account of await vault.list()) await vault.delete(account);
    rmSync(root, { recursive: true, force: true });
  });

  it('seals and anchors every change in the keychain, and signs a checkpoint that verifies', async () => {
    for (const n of [1, 2, 3]) {
      const set = await cli(['relay', 'set', '--host', `smtp${n}.example.com`, '--port', '587', '--tls', 'starttls', '--from', 'admin@example.com']);
      expect(set.code, set.stderr).toBe(0);
    }
    expect(await verify()).toEqual({
      code: 0,
      v: { ok: true, checked: 3, firstProblem: null, problems: [], anchoredSeq: 3, unanchored: null, legacyUpTo: 0, checkpoint: null },
    });

    const id = journalIdFor(dataFiles(dataDir).database);
    expect(await vault.list()).toEqual([`audit-anchor:${id}`, `audit-key:${id}`]);
    const keys = JSON.parse((await vault.get(`audit-key:${id}`))!) as { mac: string; ed25519: string };
    const secrets = [keys.mac, Buffer.from(keys.mac, 'base64').toString('hex'), keys.ed25519].map((s) => Buffer.from(s));
    secrets.push(Buffer.from(keys.mac, 'base64'));
    for (const name of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, name));
      for (const secret of secrets) expect(bytes.includes(secret), `key material in ${name}`).toBe(false);
    }

    const exported = await cli(['audit', 'export', '--checkpoint', checkpointFile]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(4);
    expect(exported.stderr).toBe(`Checkpoint of entry 3 written to ${checkpointFile}.\n`);
    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8')) as AuditCheckpoint;
    expect(checkpoint).toMatchObject({ format: 'mailroom-audit-checkpoint/1', seq: 3, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(exported.stdout).toContain(checkpoint.mac);

    expect(await verify('--checkpoint', checkpointFile)).toMatchObject({ code: 0, v: { ok: true, checkpoint: { seq: 3, matched: true } } });
    const human = await cli(['audit', 'verify', '--checkpoint', checkpointFile]);
    expect(human.stdout).toBe(
      `The journal is intact: 3 entries verified, anchored in the OS keychain up to entry 3.\nIt matches the checkpoint of ${checkpoint.at} (entry 3).\n`,
    );
  });

  it('catches someone who drops the triggers, deletes the newest entry and fixes the head, with and without the checkpoint', async () => {
    const db = new Database(dataFiles(dataDir).database);
    new JournalAttacker(db).dropTriggers().sql('DELETE FROM audit_journal WHERE seq = 3').fixHead();
    db.close();

    const plain = await verify();
    expect(plain.code).toBe(1);
    expect(plain.v.firstProblem).toEqual({ kind: 'truncated', seq: 3, reason: 'entries after 2 were deleted: the keychain anchor records entry 3' });
    expect(plain.v.problems.map((p) => p.kind)).toEqual(['truncated', 'triggers']);

    const against = await verify('--checkpoint', checkpointFile);
    expect(against.code).toBe(1);
    expect(against.v.checkpoint).toMatchObject({ seq: 3, matched: false });

    const human = await cli(['audit', 'verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('The journal is damaged:\n  - entries after 2 were deleted: the keychain anchor records entry 3\n');

    const refused = await cli(['audit', 'export', '--checkpoint', join(root, 'after.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \[audit\.damaged\]: The journal is damaged \(entries after 2 were deleted/);
    expect(existsSync(join(root, 'after.json'))).toBe(false);

    // The next change through Mailroom does not paper over it: the anchor stays on the entry that was removed.
    await cli(['relay', 'set', '--host', 'smtp4.example.com', '--port', '587', '--tls', 'starttls', '--from', 'admin@example.com']);
    await cli(['relay', 'set', '--host', 'smtp5.example.com', '--port', '587', '--tls', 'starttls', '--from', 'admin@example.com']);
    const later = await verify();
    expect(later.code).toBe(1);
    expect(later.v.problems.map((p) => p.kind)).toContain('anchor-mismatch');
  });

  it('refuses a file that is not a checkpoint with one line and exit 2', async () => {
    const notJson = join(root, 'not.json');
    writeFileSync(notJson, 'seq,at\n');
    const wrongShape = join(root, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ format: 'mailroom-audit-checkpoint/1', seq: -1 }));
    for (const [file, message] of [
      [join(root, 'absent.json'), /^error \[input\.invalid\]: Cannot read the checkpoint .*absent\.json: ENOENT/],
      [root, /^error \[input\.invalid\]: Cannot read the checkpoint .*: EISDIR/],
      [notJson, /^error \[input\.invalid\]: .*not\.json is not a Mailroom audit checkpoint \(it is not JSON\)\.$/],
      [wrongShape, /^error \[input\.invalid\]: .*shape\.json is not a Mailroom audit checkpoint \(Invalid input for audit\.verifyCheckpoint/],
    ] as const) {
      const run = await cli(['audit', 'verify', '--checkpoint', file]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
    }
  });

  it('keys a journal written by an earlier build on first use and keeps its old entries checked', async () => {
    const oldDir = join(root, 'old');
    mkdirSync(oldDir);
    writeOldJournal(dataFiles(oldDir).database, 2);
    const run = await cli(['audit', 'verify', '--json'], oldDir);
    expect(run.code, run.stdout).toBe(0);
    expect(lastJson<AuditVerification>(run)).toMatchObject({ ok: true, checked: 3, legacyUpTo: 2, anchoredSeq: 3 });
    const list = lastJson<{ entries: { seq: number; action: string; after: unknown }[] }>(await cli(['audit', 'list', '--json'], oldDir));
    expect(list.entries[0]).toMatchObject({ seq: 3, action: 'audit.keyed', after: { olderEntries: 2, olderEntriesCheck: 'intact' } });
  });
});
