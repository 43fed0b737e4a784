import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingAnalysis } from '../../../shared/domain/routing.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import type { RouteRow } from '../../../electron/cli/commands/routing-list.ts';
import { dnsServer, publishZone } from '../dns/dns-fixtures.ts';
import { postfixAdminMissing, skipReason } from '../postfixadmin/support/real-postfixadmin.ts';
import { CONDITIONAL_FORWARDS, CROSS_PLATFORM, PLATFORM_FORWARDS, startRoutingPlatforms, type RoutingPlatforms } from '../../support/routing-platforms.ts';

// One graph over six platforms: the real PostfixAdmin, an IMAP-only account on the real Dovecot (Sieve over
// ManageSieve), and the Google, Microsoft, mailcow and Stalwart fakes.
describe.skipIf(postfixAdminMissing !== null)(`routing over every platform, judged with the DMARC policy a stored check found${skipReason}`, () => {
  let dataDir: string;
  let platforms: RoutingPlatforms;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-routing-platforms-'));
    platforms = await startRoutingPlatforms(dataDir, new MemoryVault());
  }, 120_000);
  afterAll(async () => {
    await platforms?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists every platform\'s forward in one graph, with the connection it lives on', async () => {
    const listed = await platforms.cli('routing', 'list', '--kind', 'forward', '--json');
    expect(listed.code, listed.err).toBe(0);
    const routes = listed.json()['routes'] as RouteRow[];
    for (const [platform, f] of Object.entries(PLATFORM_FORWARDS)) {
      expect(routes, platform).toContainEqual(expect.objectContaining({ from: f.from, to: f.to, kind: 'forward', platform, external: true }));
    }
    // A forward inside the organisation, from PostfixAdmin to Microsoft 365, joins the two platforms' nodes.
    expect(routes).toContainEqual(expect.objectContaining({ from: CROSS_PLATFORM.from, to: CROSS_PLATFORM.to, external: false }));
    expect(new Set(routes.map((r) => r.connection))).toEqual(new Set(['pfa', 'mc', 'st', 'gw', 'ms', 'imap']));
    const human = await platforms.cli('routing', 'list', '--domain', 'st.routing.test');
    expect(human.out).toMatch(/ida@st\.routing\.test\s+ida@home\.example \(outside\)\s+forward \(no copy kept\)\s+stalwart\s+st/);
    expect((await platforms.cli('routing', 'list', '--kind', 'nonsense')).code).toBe(2);
  });

  it('carries a forward\'s condition (a Sieve `if`, a Gmail filter) through the cache to `routing list`, and leaves plain forwards plain', async () => {
    const routes = (await platforms.cli('routing', 'list', '--kind', 'forward', '--json')).json()['routes'] as RouteRow[];
    for (const c of CONDITIONAL_FORWARDS) expect(routes).toContainEqual(expect.objectContaining({ from: c.from, to: c.to, platform: c.platform, conditional: true, condition: c.condition }));
    for (const plain of [PLATFORM_FORWARDS.imap, PLATFORM_FORWARDS.stalwart, PLATFORM_FORWARDS.postfixadmin]) {
      expect(routes).toContainEqual(expect.objectContaining({ from: plain.from, to: plain.to, conditional: false, condition: null }));
    }
    const human = await platforms.cli('routing', 'list', '--domain', 'imap.routing.test');
    expect(human.out).toMatch(/eva@imap\.routing\.test\s+books@partner\.example \(outside\)\s+forward \(no copy kept\)\s+imap\s+imap\s+subject contains invoice/);
    expect(human.out).toMatch(/eva@imap\.routing\.test\s+eva@home\.example \(outside\)\s+forward \(no copy kept\)\s+imap\s+imap\s+-/);
    expect(human.out).toContain('2 route(s), 1 of them only for some mail.');
  });

  it('judges DMARC breakage from the policy `mailroom check` stored, and says "unknown — not checked" without one', async () => {
    await publishZone('mc.routing.test', '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@mc.routing.test"');
    await publishZone('st.routing.test', '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@st.routing.test"');
    const before = await platforms.cli('routing', 'analyze', '--json');
    const unchecked = (before.json() as RoutingAnalysis).findings.find((f) => f.id === 'routing.breaks-dmarc' && f.path.includes(PLATFORM_FORWARDS.mailcow.from));
    expect(unchecked).toMatchObject({ severity: 'unknown', dmarcPolicy: 'not-checked', message: expect.stringContaining('unknown — not checked') });

    const checked = await platforms.cli('check', 'mc.routing.test', 'st.routing.test', '--dns', dnsServer(), '--no-smtp', '--timeout', '3000', '--json');
    expect(checked.out, checked.err).toContain('"domains"');
    const after = (await platforms.cli('routing', 'analyze', '--json')).json() as RoutingAnalysis;
    const breaks = (from: string) => after.findings.find((f) => f.id === 'routing.breaks-dmarc' && f.path.includes(from));
    expect(breaks(PLATFORM_FORWARDS.mailcow.from)).toMatchObject({ severity: 'error', dmarcPolicy: 'reject', message: expect.stringContaining('p=reject') });
    // p=none: the forward leaves the organisation, but breaks no DMARC policy.
    expect(breaks(PLATFORM_FORWARDS.stalwart.from)).toBeUndefined();
    expect(after.findings).toContainEqual(expect.objectContaining({ id: 'routing.leaves-organisation', path: [PLATFORM_FORWARDS.stalwart.from, PLATFORM_FORWARDS.stalwart.to] }));
    expect(breaks(PLATFORM_FORWARDS.google.from)).toMatchObject({ dmarcPolicy: 'not-checked' });
  });
});
