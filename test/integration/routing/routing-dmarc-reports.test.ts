import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteRow } from '../../../electron/cli/commands/routing-list.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { aggregateXml, type RecordSpec } from '../../support/dmarc-reports.ts';
import { PLATFORM_FORWARDS, startRoutingPlatforms, type RoutingPlatforms } from '../../support/routing-platforms.ts';
import { postfixAdminMissing, skipReason } from '../postfixadmin/support/real-postfixadmin.ts';

// The host that sends pfa.routing.test's own mail (aligned), and so relays its forwards; and a spoofer.
const PFA_HOST = '203.0.113.10';
const SPOOFER = '198.51.100.66';
const DAY = 86_400;
const begin = Math.floor(Date.now() / 1000 / DAY) * DAY - 3 * DAY;
const failing = (ip: string, count: number, headerFrom?: string, extra: Partial<RecordSpec> = {}): RecordSpec => ({ ip, count, dkim: 'fail', spf: 'fail', ...(headerFrom ? { headerFrom } : {}), ...extra });

// Forwards on the real PostfixAdmin site (and the fakes) joined with generated aggregate reports, through the CLI.
describe.skipIf(postfixAdminMissing !== null)(`routing marks forwards that DMARC reports show failing at receivers${skipReason}`, () => {
  let dataDir: string;
  let platforms: RoutingPlatforms;
  const forwardRoutes = async (): Promise<RouteRow[]> => {
    const listed = await platforms.cli('routing', 'list', '--kind', 'forward', '--json');
    expect(listed.code, listed.err).toBe(0);
    return listed.json()['routes'] as RouteRow[];
  };
  const route = (routes: RouteRow[], f: { from: string; to: string }): RouteRow | undefined => routes.find((r) => r.from === f.from && r.to === f.to);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-routing-reports-'));
    platforms = await startRoutingPlatforms(dataDir, new MemoryVault());
  }, 180_000);
  afterAll(async () => {
    await platforms?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists no failure before any report is stored', async () => {
    for (const r of await forwardRoutes()) expect(r.failingAtReceivers, `${r.from} → ${r.to}`).toBeNull();
  });

  it('marks the PostfixAdmin forward to home.example, and the Google one the receiver called forwarded; not spoofing, not other receivers', async () => {
    const dir = join(dataDir, 'reports');
    const reports = [
      // home.example (where ana@pfa forwards) sees pfa's host pass for its own mail, and fail for relayed mail of two domains.
      aggregateXml({ org: 'home.example', id: 'h-1', domain: 'pfa.routing.test', begin, records: [{ ip: PFA_HOST, count: 20 }, failing(PFA_HOST, 7)] }),
      aggregateXml({ org: 'home.example', id: 'h-2', domain: 'mc.routing.test', begin: begin + DAY, records: [failing(PFA_HOST, 5, 'mc.routing.test')] }),
      // Another receiver's failures from the same host belong to no forward of pfa to home.example.
      aggregateXml({ org: 'other-receiver.example', id: 'o-1', domain: 'pfa.routing.test', begin, records: [failing(PFA_HOST, 100)] }),
      // partner.example (lea@mc's target) sees a spoofer, not a relay of mc.routing.test.
      aggregateXml({ org: 'partner.example', id: 'p-1', domain: 'mc.routing.test', begin, records: [failing(SPOOFER, 40, 'mc.routing.test')] }),
      // gmail.example (bob@gw's target) applied the "forwarded" override to failing mail of gw.routing.test.
      aggregateXml({ org: 'gmail.example', id: 'g-1', domain: 'gw.routing.test', begin: begin + DAY, records: [failing('209.85.220.41', 4, 'gw.routing.test', { reasons: [{ type: 'forwarded' }] })] }),
    ];
    mkdirSync(dir);
    reports.forEach((xml, i) => writeFileSync(join(dir, `${i}.xml`), xml));
    const ingested = await platforms.cli('reports', 'ingest', '--file', dir, '--json');
    expect(ingested.code, ingested.err).toBe(0);
    expect(ingested.json()['stored']).toMatchObject({ aggregate: 5 });

    const routes = await forwardRoutes();
    expect(route(routes, PLATFORM_FORWARDS.postfixadmin)?.failingAtReceivers).toEqual({ count: 12, since: new Date(begin * 1000).toISOString(), receivers: ['home.example'] });
    expect(route(routes, PLATFORM_FORWARDS.google)?.failingAtReceivers).toEqual({ count: 4, since: new Date((begin + DAY) * 1000).toISOString(), receivers: ['gmail.example'] });
    // lea@mc → partner.example: only a spoofer failed there; ida@st → home.example: st.routing.test has no relaying host in any report.
    expect(route(routes, PLATFORM_FORWARDS.mailcow)?.failingAtReceivers).toBeNull();
    expect(route(routes, PLATFORM_FORWARDS.stalwart)?.failingAtReceivers).toBeNull();
    expect(route(routes, PLATFORM_FORWARDS.microsoft)?.failingAtReceivers).toBeNull();

    const human = await platforms.cli('routing', 'list', '--domain', 'pfa.routing.test');
    expect(human.out).toMatch(/ana@pfa\.routing\.test\s+ana@home\.example \(outside\).*FAILING: 12 messages since \d{4}-\d\d-\d\d \(home\.example\)/);
  });
});
