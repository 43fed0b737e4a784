import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostfixAdminAdapter, type PostfixAdminAdapter } from '../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import { openSqlDriver, type SqlDialect, type SqlDriver } from '../../../electron/backends/postfixadmin/sql-driver.ts';
import { dkimPublicValue } from '../../../electron/dns/dkim-keys.ts';
import { collect, unwrap } from '../backends/collect.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const pem = (type: 'rsa' | 'ed25519'): string =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519')).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

// OpenDKIM reads PostfixAdmin's tables as dsn: tables (PostfixAdmin's DOCUMENTS/OPENDKIM.txt):
// SigningTable keycol=author datacol=dkim_id, KeyTable keycol=id datacol=domain_name,selector,private_key.
async function openDkimSigner(db: SqlDriver, author: string): Promise<{ domain: string; selector: string; key: string } | null> {
  const signing = await db.query('SELECT dkim_id FROM dkim_signing WHERE author = ?', [author]);
  if (signing.length !== 1) return null;
  const [key] = await db.query('SELECT domain_name, selector, private_key FROM dkim WHERE id = ?', [Number(signing[0]!['dkim_id'])]);
  return key ? { domain: String(key['domain_name']), selector: String(key['selector']), key: String(key['private_key']) } : null;
}

for (const dialect of ['sqlite', 'mysql', 'postgres'] as const satisfies readonly SqlDialect[]) {
  describe(`PostfixAdmin DKIM tables on ${dialect}`, () => {
    let db: TestDatabase;
    let pfa: PostfixAdminAdapter;
    let sql: SqlDriver;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      pfa = unwrap(await openPostfixAdminAdapter(db.target, null, { actor: 'tester' }));
      sql = await openSqlDriver(db.target, null);
      unwrap(await pfa.createDomain('example.test'));
    });
    afterAll(async () => {
      await sql?.close();
      await pfa?.close();
      await db?.drop();
    });

    it('installs a key into dkim + dkim_signing so OpenDKIM signs the domain with it, and says which key signs', async () => {
      expect(unwrap(await pfa.probe()).dkim.install.level).toBe('native');
      const rsa = pem('rsa');
      const signer = unwrap(await pfa.installDkimKey({ domain: 'example.test', selector: 's2026', privateKeyPem: rsa }));
      expect(signer).toEqual({ domain: 'example.test', selector: 's2026', algorithm: 'rsa', publicKey: dkimPublicValue(rsa), active: true });
      expect(await openDkimSigner(sql, 'example.test')).toEqual({ domain: 'example.test', selector: 's2026', key: rsa.trim() });
      const [row] = await sql.query("SELECT public_key, description FROM dkim WHERE selector = 's2026'");
      expect(String(row!['public_key'])).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(row!['description']).toBe('Mailroom');

      // A second key takes over the domain's signing row; the first stays in the KeyTable, unused.
      const ed = pem('ed25519');
      unwrap(await pfa.installDkimKey({ domain: 'example.test', selector: 'e2026', privateKeyPem: ed }));
      expect((await openDkimSigner(sql, 'example.test'))?.selector).toBe('e2026');
      expect(unwrap(await pfa.listDkimKeys('example.test'))).toEqual([
        { domain: 'example.test', selector: 'e2026', algorithm: 'ed25519', publicKey: dkimPublicValue(ed), active: true },
        { ...signer, active: false },
      ]);

      // The same selector again replaces its key in place.
      const rsa2 = pem('rsa');
      unwrap(await pfa.installDkimKey({ domain: 'example.test', selector: 's2026', privateKeyPem: rsa2 }));
      expect(await sql.query("SELECT id FROM dkim WHERE selector = 's2026'")).toHaveLength(1);
      expect(await openDkimSigner(sql, 'example.test')).toEqual({ domain: 'example.test', selector: 's2026', key: rsa2.trim() });
      const logged = (await sql.query("SELECT action FROM log WHERE action LIKE '%dkim%' ORDER BY id")).map((r) => r['action']);
      expect(logged).toEqual(['create_dkim_entry', 'create_dkim_signing_entry', 'create_dkim_entry', 'create_dkim_signing_entry', 'edit_dkim_entry', 'create_dkim_signing_entry']);

      const nowhere = await pfa.installDkimKey({ domain: 'nowhere.test', selector: 's', privateKeyPem: rsa });
      expect(!nowhere.ok && nowhere.error.code).toBe('backend.notFound');
    });

    it('says the revision has no DKIM tables (PostfixAdmin 3.3) and refuses to install', async () => {
      await sql.exec('DROP TABLE dkim_signing');
      await sql.exec('DROP TABLE dkim');
      expect(unwrap(await pfa.probe()).dkim.install).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('1848') });
      const refused = await pfa.installDkimKey({ domain: 'example.test', selector: 's', privateKeyPem: pem('rsa') });
      expect(!refused.ok && refused.error.code).toBe('backend.unsupported');
      const listed = await pfa.listDkimKeys('example.test');
      expect(!listed.ok && listed.error.code).toBe('backend.unsupported');
    });
  });
}

describe('PostfixAdmin adapter: domains, mailbox listing and groups (SQLite)', () => {
  let db: TestDatabase;
  let pfa: PostfixAdminAdapter;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    pfa = unwrap(await openPostfixAdminAdapter(db.target, null, { actor: 'tester' }));
  });
  afterAll(async () => {
    await pfa?.close();
    await db?.drop();
  });

  it('creates, lists and deletes domains', async () => {
    unwrap(await pfa.createDomain('example.test', { description: 'Example' }));
    unwrap(await pfa.createDomain('tmp.test'));
    expect((await collect(pfa.listDomains())).map((d) => [d.name, d.description])).toEqual([['example.test', 'Example'], ['tmp.test', null]]);
    unwrap(await pfa.deleteDomain('tmp.test'));
    expect((await collect(pfa.listDomains())).map((d) => d.name)).toEqual(['example.test']);
  });

  it('lists mailboxes per domain and manages a group as a multi-target alias', async () => {
    unwrap(await pfa.createMailbox({ address: 'ann@example.test', password: 'Ann-pass-1' }));
    unwrap(await pfa.createMailbox({ address: 'bob@example.test', password: 'Bob-pass-1' }));
    expect((await collect(pfa.listMailboxes('example.test'))).map((m) => m.address)).toEqual(['ann@example.test', 'bob@example.test']);
    unwrap(await pfa.upsertGroup({ address: 'team@example.test', name: 'Team', members: ['ann@example.test', 'bob@example.test'] }));
    expect((await collect(pfa.listGroups('example.test'))).find((g) => g.address === 'team@example.test')?.members).toEqual(['ann@example.test', 'bob@example.test']);
    unwrap(await pfa.deleteGroup('team@example.test'));
    expect((await collect(pfa.listGroups('example.test'))).some((g) => g.address === 'team@example.test')).toBe(false);
  });
});
