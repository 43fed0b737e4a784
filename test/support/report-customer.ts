import Database from 'better-sqlite3';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import type { CredentialVault } from '../../electron/platform/credential-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { StandardEvaluation } from '../../shared/domain/standards.ts';
import { dnsServer, publishZone } from '../integration/dns/dns-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';

/** The customer the monthly-report tests build: its domains, the other customer's, and what to drop afterwards. */
export interface ReportCustomer {
  readonly customer: string;
  readonly domains: readonly string[];
  readonly acmeConnection: string;
  readonly evaluations: readonly StandardEvaluation[];
  drop(): Promise<void>;
}

/** Services over `dataDir` that check DNS on the loopback Knot (documentation address ranges allowed, no SMTP probe). */
export function reportServices(dataDir: string, vault: CredentialVault): Services {
  return composeServices({
    dataDir,
    vault,
    logger: createMemoryLogger(),
    transport: 'loopback',
    dnsServers: [dnsServer()],
    dnsSettings: { options: { testNets: true, smtp: { enabled: false, port: 25, timeoutMs: 1000 }, httpsTimeoutMs: 2000 } },
  });
}

const zone = (spf: string): string => ['@ MX 10 mx', 'mx A 203.0.113.25', `@ TXT "${spf}"`, '_dmarc TXT "v=DMARC1; p=none"'].join('\n');

async function call<T>(services: Services, channel: string, ...args: unknown[]): Promise<T> {
  const r = await services.router.dispatch(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

/**
 * Two real PostfixAdmin databases (SQLite), one under "Acme Corp" (two domains on loopback Knot, three mailboxes with
 * Dovecot quota2 usage) and one under "Birch"; Acme's domains checked, then the default standard evaluated twice with
 * one domain's SPF fixed in Knot in between, so the month holds a deviation that opened and one that was resolved.
 */
export async function buildReportCustomer(services: Services, tag: string): Promise<ReportCustomer> {
  const dbs: TestDatabase[] = [];
  const acme = [`acme-${tag}.report.dlv.test`, `shop-${tag}.report.dlv.test`];
  for (const d of acme) await publishZone(d, zone('v=spf1 mx ~all'));
  const site = async (name: string, domains: readonly string[], users: readonly string[], bytes: number): Promise<string> => {
    const db = await createTestDatabase('sqlite');
    dbs.push(db);
    const { id } = await call<{ id: string }>(services, 'connections.addPostfixAdmin', { name, dialect: 'sqlite', path: db.target.path! });
    for (const d of domains) await call(services, 'domains.create', id, { name: d });
    for (const u of users) await call(services, 'mailboxes.create', id, { address: u, password: 'Initial-pw-123', displayName: u.split('@')[0]! });
    const sql = new Database(db.target.path!);
    const put = sql.prepare('INSERT INTO quota2 (username, bytes, messages) VALUES (?, ?, 1)');
    users.forEach((u, i) => put.run(u, bytes * (i + 1)));
    sql.close();
    await call(services, 'domains.refresh', id);
    return id;
  };
  const acmeConnection = await site(`Acme mail ${tag}`, acme, [`ana@${acme[0]}`, `bo@${acme[0]}`, `cy@${acme[1]}`], 3_000_000);
  const birch = await site(`Birch mail ${tag}`, [`birch-${tag}.report.dlv.test`], [`di@birch-${tag}.report.dlv.test`], 7_000_000);
  await call(services, 'standards.assignCustomer', acmeConnection, 'Acme Corp');
  await call(services, 'standards.assignCustomer', birch, 'Birch');
  await call(services, 'dns.check', { domains: acme });
  const first = await call<StandardEvaluation>(services, 'standards.evaluate', 'email baseline', {});
  await publishZone(acme[0]!, zone('v=spf1 mx -all'));
  const second = await call<StandardEvaluation>(services, 'standards.evaluate', 'email baseline', {});
  return {
    customer: 'Acme Corp',
    domains: acme,
    acmeConnection,
    evaluations: [first, second],
    drop: async () => {
      for (const db of dbs) await db.drop();
    },
  };
}
