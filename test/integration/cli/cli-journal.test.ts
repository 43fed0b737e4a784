import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations } from '../../../shared/ipc/channels.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { testServers } from '../../support/servers.ts';
import { startSmtpRelay, type RelayedMessage, type SmtpRelay } from '../../support/smtp-relay.ts';
import { createTestDatabase, type TestDatabase } from '../provisioning/support/databases.ts';
import { freshUser, urlFor } from '../migration/support.ts';

/** The journal entries one command must append, oldest first: [action, object, result (, error code)]. */
// An object named after a generated id (a migration job or plan) is matched by pattern.
type Entry = readonly [action: string, object: string | RegExp, result: 'ok' | 'error', errorCode?: string];

/** One mutating CLI command and what it must write to the journal. */
interface Case {
  readonly argv: readonly string[];
  readonly entries: readonly Entry[];
  readonly exit?: number;
}

const SECRETS = { IMAP_PW: 'Imap-secret-1', MC_KEY: 'mc-journal-key-0123456789', ST_SECRET: 'stalwart-secret-1', MS_SECRET: 'ms-client-secret-1', PW: 'Mailbox-pass-1', PW2: 'Mailbox-pass-2', RELAY_PW: 'relay-secret-1', HOOK_URL: 'http://127.0.0.1:9/hook/Hook-Token-1' };
// Adding an API connection stores its settings and secret only; nothing is contacted, so no server listens here.
const NOWHERE = 'http://127.0.0.1:9';

function cases(ctx: { imapHost: string; imapsPort: number; pfaPath: string; smtpPort: number; keyFile: string; csv: string; ca: string; source: string; target: string; dkimOut: string; prices: string; standard: string }): Case[] {
  const box = ['--connection', 'box'];
  return [
    { argv: ['connections', 'add', '--skip-test', '--name', 'imap', '--host', ctx.imapHost, '--port', String(ctx.imapsPort), '--tls', 'implicit', '--user', 'someone', '--password-env', 'IMAP_PW'], entries: [['connections.addImap', 'imap', 'ok']] },
    { argv: ['connections', 'edit', 'imap', '--user', 'someone-else', '--password-env', 'IMAP_PW', '--skip-test'], entries: [['connections.edit', 'imap', 'ok']] },
    { argv: ['connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', ctx.pfaPath], entries: [['connections.addPostfixAdmin', 'box', 'ok']] },
    { argv: ['connections', 'add-mailcow', '--name', 'mc', '--url', NOWHERE, '--api-key-env', 'MC_KEY', '--skip-test'], entries: [['connections.addMailcow', 'mc', 'ok']] },
    { argv: ['connections', 'add-stalwart', '--name', 'st', '--url', NOWHERE, '--secret-env', 'ST_SECRET', '--skip-test'], entries: [['connections.addStalwart', 'st', 'ok']] },
    { argv: ['connections', 'add-google', '--name', 'gw', '--admin', 'admin@example.org', '--key-file', ctx.keyFile, '--skip-test'], entries: [['connections.addGoogle', 'gw', 'ok']] },
    { argv: ['connections', 'add-microsoft', '--name', 'ms', '--tenant', 'tenant-1', '--client-id', 'client-1', '--client-secret-env', 'MS_SECRET', '--skip-test'], entries: [['connections.addMicrosoft', 'ms', 'ok']] },
    { argv: ['connections', 'remove', 'ms'], entries: [['connections.remove', 'ms', 'ok']] },
    { argv: ['domains', 'create', 'example.test', ...box], entries: [['domains.create', 'example.test', 'ok']] },
    { argv: ['domains', 'update', 'example.test', ...box, '--description', 'Example'], entries: [['domains.update', 'example.test', 'ok']] },
    { argv: ['dkim', 'generate', 'example.test', '--selector', 's1'], entries: [['dns.generateDkimKey', 's1._domainkey.example.test', 'ok']] },
    { argv: ['dkim', 'install', 'example.test', '--selector', 's1', ...box], entries: [['domains.installDkim', 's1._domainkey.example.test', 'ok']] },
    // PostfixAdmin makes no keys of its own: refused, and journaled as refused.
    { argv: ['dkim', 'platform-generate', 'example.test', '--selector', 's2', ...box], entries: [['domains.generateDkim', 's2._domainkey.example.test', 'error', 'backend.unsupported']], exit: 1 },
    { argv: ['dkim', 'export', 'example.test', '--selector', 's1', '--out', ctx.dkimOut], entries: [['dns.exportDkimKey', 's1._domainkey.example.test', 'ok']] },
    { argv: ['domains', 'create', 'alias.test', ...box, '--alias-of', 'example.test'], entries: [['domains.create', 'alias.test', 'ok']] },
    { argv: ['domains', 'delete', 'alias.test', ...box], entries: [['domains.remove', 'alias.test', 'ok']] },
    { argv: ['mailboxes', 'create', 'alice@example.test', ...box, '--password-env', 'PW', '--name', 'Alice'], entries: [['mailboxes.create', 'alice@example.test', 'ok']] },
    { argv: ['mailboxes', 'create', 'bob@example.test', ...box, '--generate-password'], entries: [['mailboxes.create', 'bob@example.test', 'ok']] },
    {
      argv: ['mailboxes', 'update', 'alice@example.test', ...box, '--name', 'Alice A', '--suspend', '--forward', 'bob@example.test', '--keep-copy', '--reset-password', '--password-env', 'PW2'],
      entries: [['mailboxes.update', 'alice@example.test', 'ok'], ['mailboxes.setForwarding', 'alice@example.test', 'ok'], ['mailboxes.setPassword', 'alice@example.test', 'ok']],
    },
    { argv: ['mailboxes', 'update', 'alice@example.test', ...box, '--unsuspend', '--no-forward'], entries: [['mailboxes.update', 'alice@example.test', 'ok'], ['mailboxes.setForwarding', 'alice@example.test', 'ok']] },
    { argv: ['relay', 'set', '--host', '127.0.0.1', '--port', String(ctx.smtpPort), '--tls', 'none', '--from', 'it@example.test', '--user', 'relay-user', '--password-env', 'RELAY_PW'], entries: [['relay.set', 'relay.smtp', 'ok']] },
    { argv: ['relay', 'test', '--to', 'it-check@home.test'], entries: [['relay.sendTest', 'relay.smtp', 'ok']] },
    { argv: ['storage', 'prices', 'import', ctx.prices], entries: [['storage.importPrices', 'storage.prices (csv import)', 'ok']] },
    { argv: ['customers', 'assign', 'box', 'Acme Corp'], entries: [['standards.assignCustomer', 'box', 'ok']] },
    { argv: ['standards', 'import', ctx.standard], entries: [['standards.import', 'standard:journal std', 'ok']] },
    { argv: ['standards', 'accept', 'journal std', '--rule', 'provisioning.catch-all', '--target', '*', '--reason', 'shared inbox'], entries: [['standards.accept', 'standard:journal std provisioning.catch-all *', 'ok']] },
    { argv: ['alerts', 'add', '--name', 'oncall', '--kind', 'email', '--to', 'it-alerts@home.test'], entries: [['alerts.addDestination', 'alerts.destination:oncall', 'ok']] },
    { argv: ['alerts', 'add', '--name', 'hook', '--kind', 'webhook', '--url-env', 'HOOK_URL'], entries: [['alerts.addDestination', 'alerts.destination:hook', 'ok']] },
    { argv: ['alerts', 'test', '--destination', 'oncall'], entries: [['alerts.test', 'alerts.destination:oncall', 'ok']] },
    { argv: ['alerts', 'snooze', 'hook', '--for', '2h'], entries: [['alerts.snooze', 'alerts.destination:hook', 'ok']] },
    { argv: ['alerts', 'wake', 'hook'], entries: [['alerts.snooze', 'alerts.destination:hook', 'ok']] },
    { argv: ['alerts', 'remove', 'hook'], entries: [['alerts.removeDestination', 'alerts.destination:hook', 'ok']] },
    { argv: ['mailboxes', 'invite', 'alice@example.test', ...box, '--send-to', 'alice@home.test'], entries: [['mailboxes.invite', 'alice@example.test', 'ok']] },
    { argv: ['aliases', 'create', 'sales@example.test', ...box, '--to', 'alice@example.test,bob@example.test'], entries: [['aliases.upsert', 'sales@example.test', 'ok']] },
    { argv: ['aliases', 'update', 'sales@example.test', ...box, '--to', 'alice@example.test'], entries: [['aliases.upsert', 'sales@example.test', 'ok']] },
    { argv: ['aliases', 'delete', 'sales@example.test', ...box], entries: [['aliases.remove', 'sales@example.test', 'ok']] },
    { argv: ['groups', 'create', 'team@example.test', ...box, '--members', 'alice@example.test,bob@example.test', '--name', 'Team'], entries: [['groups.upsert', 'team@example.test', 'ok']] },
    { argv: ['groups', 'update', 'team@example.test', ...box, '--members', 'alice@example.test,bob@example.test,ext@remote.test'], entries: [['groups.upsert', 'team@example.test', 'ok']] },
    { argv: ['groups', 'delete', 'team@example.test', ...box], entries: [['groups.remove', 'team@example.test', 'ok']] },
    { argv: ['import', ctx.csv, ...box, '--dry-run'], entries: [['mailboxes.import', 'csv import (dry run)', 'ok']] },
    {
      argv: ['import', ctx.csv, ...box],
      entries: [['mailboxes.create', 'carol@example.test', 'ok'], ['mailboxes.update', 'carol@example.test', 'ok'], ['aliases.upsert', 'info@example.test', 'ok'], ['mailboxes.import', 'csv import', 'ok']],
    },
    { argv: ['mailboxes', 'delete', 'bob@example.test', ...box], entries: [['mailboxes.remove', 'bob@example.test', 'ok']] },
    // A refused change is journaled too, with its error code.
    { argv: ['domains', 'delete', 'example.test', ...box], entries: [['domains.remove', 'example.test', 'error', 'backend.conflict']], exit: 1 },
    { argv: ['connections', 'remove', 'imap'], entries: [['connections.remove', 'imap', 'ok']] },
    // migrate and plan without --state run through the migration service (passwords from the environment).
    { argv: ['plan', '--source', ctx.source, '--target', ctx.target, '--target-preset', 'dovecot', '--name', 'journal-plan', '--ca', ctx.ca], entries: [['migration.createPlanFromUrls', /^migration\.plan:/, 'ok']] },
    { argv: ['plan', '--edit', 'journal-plan', '--include-shared'], entries: [['migration.updatePlan', /^migration\.plan:/, 'ok']] },
    { argv: ['migrate', '--source', ctx.source, '--target', ctx.target, '--ca', ctx.ca], entries: [['migration.copyMailbox', /^migration\.job:/, 'ok']] },
  ];
}

describe('every mutating CLI command goes through the router into the audit journal', () => {
  const vault = new MemoryVault();
  const received: RelayedMessage[] = [];
  let dataDir: string;
  let db: TestDatabase;
  let smtp: SmtpRelay;
  let all: Case[];
  const migrationEnv: Record<string, string> = {};
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { ...SECRETS, ...migrationEnv }, vault });
  const journal = async (): Promise<{ seq: number; action: string; object: string; result: string; errorCode: string | null }[]> => {
    const listed = await cli('audit', 'list', '--limit', '1000', '--json');
    expect(listed.code, listed.err).toBe(0);
    return (listed.json()['entries'] as { seq: number; action: string; object: string; result: string; errorCode: string | null }[]).slice().reverse();
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-journal-'));
    db = await createTestDatabase('sqlite');
    smtp = await startSmtpRelay(received, { user: 'relay-user', password: SECRETS.RELAY_PW });
    const servers = testServers();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const keyFile = join(dataDir, 'sa.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: 'mailroom@project.iam.gserviceaccount.com', private_key: privateKey }));
    const csv = join(dataDir, 'people.csv');
    const standard = join(dataDir, 'standard.json');
    writeFileSync(standard, JSON.stringify({ name: 'journal std', version: 1, targets: { kind: 'all' }, rules: [{ rule: 'provisioning.catch-all', mode: 'report' }] }));
    const prices = join(dataDir, 'prices.csv');
    writeFileSync(prices, 'id,label,kind,model,monthly,currency,included_gb_per_seat\nimap-box,Our IMAP box,imap,flat,12,USD,\n');
    writeFileSync(csv, 'type,address,name,active,targets\nmailbox,carol@example.test,Carol,no,\nalias,info@example.test,,,alice@example.test\n');
    const source = freshUser('journal-src');
    const target = freshUser('journal-dst');
    Object.assign(migrationEnv, { MAILROOM_SOURCE_PASSWORD: source.password, MAILROOM_TARGET_PASSWORD: target.password });
    all = cases({ imapHost: servers.imap.host, imapsPort: servers.imap.imapsPort, pfaPath: db.target.path!, smtpPort: smtp.port, keyFile, csv, ca: servers.ca, source: urlFor(source), target: urlFor(target), dkimOut: join(dataDir, 'example.test.s1.pem'), prices, standard });
  });
  afterAll(async () => {
    await smtp.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Derived from the CLI's own source rather than from a list of channels, so adding an operation the
  // CLI does not call (a console-only one) touches nothing here; a new CLI call needs its case below.
  it('runs a case for every mutating operation the CLI calls, and none for one it does not', () => {
    const mutating = listOperations().filter(([, , kind]) => kind === 'mutate').map(([area, method]) => `${area}.${method}`);
    const covered = new Set(all.flatMap((c) => c.entries.map(([action]) => action)));
    // Every mutating operation the CLI's source calls must be exercised here.
    const dir = fileURLToPath(new URL('../../../electron/cli/', import.meta.url));
    const called = new Set<string>();
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/\bapi\.(\w+)\.(\w+)\(/g)) called.add(`${m[1]}.${m[2]}`);
    }
    expect([...called].filter((c) => mutating.includes(c) && !covered.has(c)), 'mutating operations the CLI calls without a case here').toEqual([]);
    expect(mutating.filter((c) => covered.has(c) && !called.has(c)), 'cases for operations no CLI command calls').toEqual([]);
  });

  // Some thirty CLI runs in a row (a copy and a plan among them): far past the default minute on a busy two-core machine.
  it('runs each mutating command against the real servers and finds exactly its entries in `audit list`', { timeout: 300_000 }, async () => {
    for (const c of all) {
      const before = (await journal()).at(-1)?.seq ?? 0;
      const run = await cli(...c.argv, '--json');
      expect(run.code, `${c.argv.join(' ')}\n${run.out}${run.err}`).toBe(c.exit ?? 0);
      const added = (await journal()).filter((e) => e.seq > before);
      const seen = added.map((e, i) => {
        const want = c.entries[i]?.[1];
        const object = want instanceof RegExp && want.test(e.object) ? want : e.object;
        return e.result === 'ok' ? [e.action, object, e.result] : [e.action, object, e.result, e.errorCode];
      });
      expect(seen, c.argv.join(' ')).toEqual(c.entries);
    }
    expect(received.map((m) => m.to)).toEqual([['it-check@home.test'], ['it-alerts@home.test'], ['alice@home.test']]);
    expect(received[1]!.raw).toContain('Subject: [Mailroom] Test alert: mailroom.test on oncall');
    const verified = await cli('audit', 'verify', '--json');
    expect(verified.code, verified.out).toBe(0);
    const everything = JSON.stringify(await journal());
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
  });
});
