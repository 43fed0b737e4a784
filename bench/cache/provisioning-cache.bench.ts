// Cache benchmark: 1,000 domains + 100,000 mailboxes in a PostfixAdmin SQLite database; full refresh
// through the SQL adapter into the Mailroom cache, then search-as-you-type latency. Prints JSON lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postfixAdminSchema } from '../../electron/backends/postfixadmin/schema.ts';
import { openDatabase } from '../../electron/db/database.ts';
import { InventoryRepo } from '../../electron/db/inventory-repo.ts';
import { ConnectionsRepo } from '../../electron/db/connections-repo.ts';
import { ConnectionsService } from '../../electron/accounts/connections-service.ts';
import { ProvisioningService } from '../../electron/provisioning/provisioning-service.ts';
import { defaultAdapterFactories } from '../../electron/provisioning/adapter-factories.ts';
import { systemClock } from '../../electron/platform/clock.ts';
import type { CredentialVault } from '../../electron/platform/credential-vault.ts';

const DOMAINS = Number(process.env['BENCH_DOMAINS'] ?? 1000);
const MAILBOXES = Number(process.env['BENCH_MAILBOXES'] ?? 100_000);
const SEARCHES = 200;
const line = (o: Record<string, unknown>): void => void process.stdout.write(JSON.stringify({ bench: 'cache', ...o }) + '\n');
const dir = mkdtempSync(join(tmpdir(), 'mr-bench-'));
const first = ['anna', 'ben', 'carla', 'dimitri', 'eva', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kim', 'lena', 'marco', 'nora', 'oskar'];
const last = ['smith', 'meyer', 'garcia', 'rossi', 'novak', 'kowalski', 'dubois', 'jansen', 'silva', 'berg'];

try {
  const pfaPath = join(dir, 'postfixadmin.db');
  let t = performance.now();
  const pfa = new Database(pfaPath);
  pfa.exec(postfixAdminSchema('sqlite'));
  pfa.transaction(() => {
    const d = pfa.prepare("INSERT INTO domain (domain, description, transport, active) VALUES (?, '', 'virtual', 1)");
    const m = pfa.prepare('INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) VALUES (?, ?, ?, ?, ?, ?, ?, 1)');
    const a = pfa.prepare('INSERT INTO alias (address, goto, domain, active) VALUES (?, ?, ?, 1)');
    const q = pfa.prepare('INSERT INTO quota2 (username, bytes, messages) VALUES (?, ?, ?)');
    for (let i = 0; i < DOMAINS; i += 1) d.run(`client${i}.example`);
    for (let i = 0; i < MAILBOXES; i += 1) {
      const domain = `client${i % DOMAINS}.example`;
      const local = `${first[i % first.length]}.${last[(i >> 4) % last.length]}${i}`;
      const address = `${local}@${domain}`;
      m.run(address, '{BLF-CRYPT}$2y$05$x', `${first[i % first.length]} ${last[(i >> 4) % last.length]}`, `${domain}/${local}/`, 1_024_000_000, local, domain);
      a.run(address, i % 20 === 0 ? `${address},fwd${i}@elsewhere.example` : address, domain);
      q.run(address, (i * 7919) % 900_000_000, i % 5000);
    }
  })();
  pfa.close();
  line({ step: 'seed', domains: DOMAINS, mailboxes: MAILBOXES, ms: Math.round(performance.now() - t) });

  const db = openDatabase(join(dir, 'cache.db'));
  const secrets = new Map<string, string>();
  const vault: CredentialVault = {
    set: async (k, v) => void secrets.set(k, v),
    get: async (k) => secrets.get(k) ?? null,
    delete: async (k) => secrets.delete(k),
    list: async () => [...secrets.keys()],
  };
  const connections = new ConnectionsService(new ConnectionsRepo(db), vault, systemClock);
  const inventory = new InventoryRepo(db);
  const service = new ProvisioningService({ connections, inventory, factories: defaultAdapterFactories, clock: systemClock, operator: 'bench' });
  const added = await connections.addPostfixAdmin({ name: 'bench', dialect: 'sqlite', path: pfaPath });
  if (!added.ok) throw new Error(added.error.message);
  // Run 1 fills an empty cache; run 2 finds nothing changed (diff: refresh stamps only).
  for (const run of [1, 2]) {
    t = performance.now();
    const r = await service.refresh(added.value.id);
    if (!r.ok) throw new Error(r.error.message);
    line({ step: 'full-refresh', run, dialect: 'sqlite', ms: Math.round(performance.now() - t), ...r.value });
  }
  const queries = ['a', 'be', 'car', 'meyer', 'dimitri.n', 'client42', 'client999.ex', 'ines.silva1', 'zzz-none', 'hugo'];
  const times: number[] = [];
  for (let i = 0; i < SEARCHES; i += 1) {
    const q = queries[i % queries.length]!;
    // Each keystroke prefix of a query, as search-as-you-type sends them.
    for (let n = 1; n <= q.length; n += 1) {
      const s = performance.now();
      inventory.searchMailboxes({ text: q.slice(0, n), limit: 100 });
      times.push(performance.now() - s);
    }
  }
  times.sort((x, y) => x - y);
  const pct = (p: number): number => Number(times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(2));
  line({ step: 'search', queries: times.length, p50Ms: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99), maxMs: pct(1), goalP95Ms: 30 });
  // The virtualized table scrolls the whole cache in keyset pages of 200 rows.
  const pages: number[] = [];
  let afterKey: string | null = null;
  do {
    const s = performance.now();
    const page = inventory.pageMailboxes({ limit: 200, ...(afterKey ? { afterKey } : {}) });
    pages.push(performance.now() - s);
    afterKey = page.nextKey;
  } while (afterKey !== null);
  pages.sort((x, y) => x - y);
  const ppct = (p: number): number => Number(pages[Math.min(pages.length - 1, Math.floor(pages.length * p))]!.toFixed(2));
  line({ step: 'keyset-scroll', pages: pages.length, rowsPerPage: 200, p50Ms: ppct(0.5), p95Ms: ppct(0.95), maxMs: ppct(1) });
  await service.close();
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
