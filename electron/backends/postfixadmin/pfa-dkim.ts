import { createPublicKey } from 'node:crypto';
import type { Capabilities, DkimSigner } from '../../../shared/domain/provisioning.ts';
import { type Result, err } from '../../../shared/errors/result.ts';
import { dkimAlgorithmOf, dkimPublicValue } from '../../dns/dkim-keys.ts';
import type { DkimKeyToInstall } from '../adapter.ts';
import { guard, logAction, reject, type PfaContext } from './pfa-context.ts';

// PostfixAdmin's OpenDKIM tables (upgrade_1848): `dkim` is the KeyTable (domain_name, selector, private_key,
// public_key as PEM), `dkim_signing` the SigningTable (author = a domain or an address → dkim_id). OpenDKIM
// reads them through `dsn:` tables (PostfixAdmin's DOCUMENTS/OPENDKIM.txt). PostfixAdmin 3.3 (revision 1847) has neither.

const MANUAL = 'This PostfixAdmin schema has no dkim / dkim_signing tables (they arrive with schema revision 1848): export the key for OpenDKIM or rspamd (mailroom dkim export).';

/** True when the database has both DKIM tables with the columns Mailroom writes. */
export async function hasDkimTables(ctx: PfaContext): Promise<boolean> {
  const probe = await guard('Checking the DKIM tables', async () => {
    await ctx.driver.query('SELECT id, domain_name, selector, private_key, public_key, description, created, modified FROM dkim WHERE 1 = 0');
    await ctx.driver.query('SELECT id, author, dkim_id, created, modified FROM dkim_signing WHERE 1 = 0');
  });
  return probe.ok;
}

/** The DKIM capability of a PostfixAdmin database with or without the DKIM tables. */
export function dkimSupport(tables: boolean): Capabilities['dkim'] {
  return {
    generate: { level: 'unsupported', manual: 'PostfixAdmin does not generate keys through its database; generate one in Mailroom and install it.' },
    install: tables ? { level: 'native', how: 'dkim + dkim_signing rows (author = the domain), read by OpenDKIM' } : { level: 'unsupported', manual: MANUAL },
  };
}

interface KeyRow { id: unknown; selector: unknown; public_key: unknown; signs: unknown }

/** The keys of `domain` in the KeyTable; a key signs when a SigningTable row names the domain as author. */
export async function listDkimKeys(ctx: PfaContext, domain: string): Promise<Result<DkimSigner[]>> {
  if (!(await hasDkimTables(ctx))) return err('backend.unsupported', MANUAL);
  const name = domain.toLowerCase();
  return guard(`Reading the DKIM keys of ${name}`, async () => {
    const rows = await ctx.driver.query<KeyRow & Record<string, unknown>>(
      'SELECT d.id, d.selector, d.public_key, (SELECT count(*) FROM dkim_signing s WHERE s.dkim_id = d.id AND s.author = ?) AS signs FROM dkim d WHERE d.domain_name = ? ORDER BY d.selector',
      [name, name],
    );
    return rows.map((r): DkimSigner => {
      const pem = typeof r.public_key === 'string' && r.public_key.trim() !== '' ? r.public_key : null;
      let publicKey: string | null = null;
      let algorithm: DkimSigner['algorithm'] = null;
      try {
        publicKey = pem ? dkimPublicValue(pem) : null;
        algorithm = pem ? dkimAlgorithmOf(pem) : null;
      } catch {
        // A row PostfixAdmin's form saved with a malformed key shows without its record.
      }
      return { domain: name, selector: String(r.selector), algorithm, publicKey, active: Number(r.signs) > 0 };
    });
  });
}

/**
 * Writes the key into `dkim` (replacing the key of the same selector) and points the domain's SigningTable
 * row at it, so OpenDKIM signs the whole domain with this key; per-address rows stay as they are.
 */
export async function installDkimKey(ctx: PfaContext, key: DkimKeyToInstall): Promise<Result<DkimSigner>> {
  if (!(await hasDkimTables(ctx))) return err('backend.unsupported', MANUAL);
  const algorithm = dkimAlgorithmOf(key.privateKeyPem);
  if (algorithm === null) return err('backend.validation', 'OpenDKIM signs with RSA or Ed25519 keys only.');
  const domain = key.domain.toLowerCase();
  const publicPem = createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString().trim();
  // logAction reads the schema; read on the pool inside the transaction it would wait for the
  // transaction's own connection (SQLite has one), so it is read, and cached, before.
  await ctx.schema();
  return guard(`Installing the DKIM key ${key.selector} of ${domain}`, () =>
    ctx.driver.transaction(async (tx) => {
      if (!(await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [domain])).length) reject('backend.notFound', `No domain ${domain}.`);
      const existing = await tx.query('SELECT id FROM dkim WHERE domain_name = ? AND selector = ?', [domain, key.selector]);
      let id: unknown = existing[0]?.['id'];
      // created/modified from the database's own clock, as PostfixAdmin's forms write them.
      if (id === undefined) {
        await tx.run(
          'INSERT INTO dkim (domain_name, description, selector, private_key, public_key, created, modified) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)',
          [domain, 'Mailroom', key.selector, key.privateKeyPem.trim(), publicPem],
        );
        id = (await tx.query('SELECT id FROM dkim WHERE domain_name = ? AND selector = ?', [domain, key.selector]))[0]?.['id'];
        await logAction(tx, ctx, domain, 'create_dkim_entry', key.selector);
      } else {
        await tx.run('UPDATE dkim SET private_key = ?, public_key = ?, modified = CURRENT_TIMESTAMP WHERE id = ?', [key.privateKeyPem.trim(), publicPem, Number(id)]);
        await logAction(tx, ctx, domain, 'edit_dkim_entry', key.selector);
      }
      await tx.run('DELETE FROM dkim_signing WHERE author = ?', [domain]);
      await tx.run('INSERT INTO dkim_signing (author, dkim_id, created, modified) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)', [domain, Number(id)]);
      await logAction(tx, ctx, domain, 'create_dkim_signing_entry', `${domain} -> ${key.selector}`);
      return { domain, selector: key.selector, algorithm, publicKey: dkimPublicValue(key.privateKeyPem), active: true };
    }),
  );
}
