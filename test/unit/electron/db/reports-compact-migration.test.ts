import { describe, expect, it } from 'vitest';
import { type Db, migrate, openDatabase } from '../../../../electron/db/database.ts';
import { migrations } from '../../../../electron/db/migrations/index.ts';
import { ReportsForwardsRepo } from '../../../../electron/db/reports-forwards-repo.ts';
import { ReportsRepo } from '../../../../electron/db/reports-repo.ts';
import { ReportsViewsRepo } from '../../../../electron/db/reports-views-repo.ts';
import { reportsEvaluator } from '../../../../electron/alerts/reports-evaluator.ts';
import { ReportsInsights } from '../../../../electron/reports/reports-insights.ts';
import { type ReportInput, ReportsService } from '../../../../electron/reports/reports-service.ts';
import { markFailingForwards } from '../../../../electron/routing/forward-failures.ts';
import { aggregateXml, arfMessage, gz, type RecordSpec, tlsJson, zip } from '../../../support/dmarc-reports.ts';
import { LegacyReportsForwardsRepo, LegacyReportsRepo } from '../../../support/legacy-reports-repos.ts';

const NOW = 1_796_601_600; // 2026-12-07T00:00:00Z
const DAY = 86_400;
const DOMAINS = ['alpha.test', 'beta.test', 'fwd.test', 'gamma.test'] as const;
const ORGS = ['google.com', 'Outlook.com', 'yahoo.com', 'mail.ru'] as const;
// IPv4 and IPv6 sources, an IPv4-mapped one among them; 198.51.100.77 is fwd.test's own (aligned) relay.
const IPS = ['192.0.2.1', '192.0.2.2', '203.0.113.5', '198.51.100.77', '2001:db8::1', '2a00:1450:4864:20::22f', '::ffff:192.0.2.7', '198.51.100.20', '203.0.113.66'] as const;
const OTHER_SIGNERS = ['sendgrid.net', 'amazonses.com', 'bounce.example.net'] as const;

// A fixed, varied corpus: every rule of the classification, the forwards view and the alerts has something to say.
function record(i: number, j: number, domain: string): RecordSpec {
  const k = i * 7 + j * 3;
  const ip = domain === 'fwd.test' && j === 0 ? '198.51.100.77' : IPS[k % IPS.length]!;
  const dkim = k % 4 === 0 ? 'fail' : 'pass';
  const spf = k % 3 === 0 ? 'fail' : 'pass';
  const foreign = k % 5 === 0;
  return {
    ip,
    count: 1 + ((k * 37) % 240),
    dkim: foreign ? 'fail' : dkim,
    spf: foreign ? 'fail' : spf,
    disposition: ['none', 'quarantine', 'reject'][k % 3]!,
    headerFrom: k % 6 === 0 ? `news.${domain}` : domain,
    ...(foreign ? { dkimDomain: OTHER_SIGNERS[k % 3]!, spfDomain: OTHER_SIGNERS[(k + 1) % 3]! } : {}),
    ...(k % 7 === 0 ? { reasons: [{ type: k % 2 ? 'forwarded' : 'local_policy', ...(k % 2 ? {} : { comment: 'arc=pass' }) }] } : {}),
  };
}

async function corpus(): Promise<ReportInput[]> {
  const inputs: ReportInput[] = [];
  for (let i = 0; i < 48; i += 1) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const xml = aggregateXml({
      org: ORGS[(i >> 2) % ORGS.length]!,
      id: `cmp-${i}`,
      domain,
      begin: NOW - ((i * 5) % 45) * DAY - DAY,
      schema: i % 5 === 0 ? 'dmarcbis' : 'rfc7489',
      records: Array.from({ length: 1 + (i % 9) }, (_, j) => record(i, j, domain)),
    });
    inputs.push(i % 6 === 1 ? { name: `cmp-${i}.zip`, bytes: await zip({ [`cmp-${i}.xml`]: xml }) } : { name: `cmp-${i}.xml.gz`, bytes: gz(xml) });
  }
  // fwd.test's relay, failing at receivers for mail sent as other domains: the forwards the routing view marks.
  inputs.push({ name: 'relayed.xml', bytes: Buffer.from(aggregateXml({ org: 'google.com', id: 'relayed', domain: 'beta.test', begin: NOW - 3 * DAY, records: [{ ip: '198.51.100.77', count: 42, dkim: 'fail', spf: 'fail' }] })) });
  // A new unknown sender at volume this week: the alert for it.
  inputs.push({ name: 'intruder.xml', bytes: Buffer.from(aggregateXml({ org: 'yahoo.com', id: 'intruder', domain: 'gamma.test', begin: NOW - 2 * DAY, records: [{ ip: '2001:db8:bad::9', count: 500, dkim: 'fail', spf: 'fail' }] })) });
  inputs.push({ name: 'cmp-0-again.xml.gz', bytes: inputs[0]!.bytes });
  inputs.push({ name: 'broken.xml', bytes: Buffer.from('<feedback><report_metadata>') });
  for (const [n, domain] of DOMAINS.entries()) {
    inputs.push({ name: `tls-${n}.json.gz`, bytes: gz(tlsJson({ id: `tls-${n}`, domain, ok: 50 + n, failed: n % 2 ? [{ type: 'certificate-expired', mx: `mx${n}.${domain}`, count: n + 1 }, { type: 'starttls-not-supported', mx: `mx.${domain}`, count: 2 }] : [], day: '2026-12-04' })) });
  }
  inputs.push({ name: 'ruf-1.eml', bytes: await arfMessage({ domain: 'alpha.test', ip: '203.0.113.66', messageId: '<ruf-1@receiver.example>' }) });
  return inputs;
}

/** Every answer the stored reports give: summary (CLI, Reports page), sources, insights, verdict, alerts, forwards. */
async function everyView(db: Db, repo: ReportsRepo, forwards: ReportsForwardsRepo): Promise<unknown> {
  const service = new ReportsService(repo, () => NOW);
  const insights = new ReportsInsights(new ReportsViewsRepo(db), service, () => NOW);
  const alerts = reportsEvaluator({
    domains: (since) => service.summary({ since }).domains.map((d) => d.domain),
    sources: (domain, since) => service.sources(domain, since),
    days: (domain, since) => insights.days(domain, since),
    tlsFailures: (since) => insights.tlsFailures(null, since),
    now: () => NOW,
  });
  const edges = DOMAINS.flatMap((from) => ['gmail.com', 'outlook.com', 'yahoo.com'].map((to) => ({ from: `info@${from}`, to: `someone@${to}`, kind: 'forward' as const })));
  return {
    summary: [service.summary({}), service.summary({ since: NOW - 7 * DAY }), ...DOMAINS.map((domain) => service.summary({ domain, since: NOW - 30 * DAY }))],
    perDomain: DOMAINS.map((domain) => ({
      sources: [service.sources(domain, 0), service.sources(domain, NOW - 10 * DAY)],
      days: insights.days(domain, 0),
      tls: insights.tlsFailures(domain, 0),
      verdict: insights.verdict(domain),
      failingForwarded: forwards.failingForwarded(domain),
    })),
    tls: insights.tlsFailures(null, 0),
    alerts: await alerts(),
    routing: markFailingForwards(edges, (d) => forwards.failingForwarded(d)),
  };
}

describe('migration 30: compact aggregate records', () => {
  it('converts a cache filled by the old schema in place, and every view answers exactly as before', async () => {
    const inputs = await corpus();
    const db = openDatabase(':memory:', migrations.filter((m) => m.version < 30));
    const legacy = await new ReportsService(new LegacyReportsRepo(db), () => NOW).ingest(inputs);
    expect([legacy.stored, legacy.duplicates, legacy.errors.length]).toEqual([{ aggregate: 50, tls: 4, failure: 1 }, 1, 1]);
    const records = (db.prepare('SELECT COUNT(*) AS n FROM dmarc_records').get() as { n: number }).n;
    const before = await everyView(db, new LegacyReportsRepo(db), new LegacyReportsForwardsRepo(db));

    migrate(db, migrations);
    const after = await everyView(db, new ReportsRepo(db), new ReportsForwardsRepo(db));
    expect(after).toEqual(before);

    // The same inputs into a fresh cache through the new write path give the same answers too.
    const fresh = openDatabase(':memory:');
    await new ReportsService(new ReportsRepo(fresh), () => NOW).ingest(inputs);
    expect(await everyView(fresh, new ReportsRepo(fresh), new ReportsForwardsRepo(fresh))).toEqual(before);

    // Not a comparison of empty answers: the corpus reaches every classification, a marked forward and alerts.
    const views = before as { perDomain: { sources: { classification: string; sourceIp: string }[][]; failingForwarded: unknown[] }[]; alerts: { rule: string }[]; routing: { failingAtReceivers?: unknown }[] };
    const classes = new Set(views.perDomain.flatMap((d) => d.sources[0]!.map((s) => s.classification)));
    expect([...classes].sort()).toEqual(['aligned', 'authorised-unaligned', 'forwarded', 'unknown']);
    expect(views.perDomain.flatMap((d) => d.sources[0]!.map((s) => s.sourceIp))).toEqual(expect.arrayContaining(['2001:db8::1', '::ffff:192.0.2.7']));
    expect(views.perDomain[2]!.failingForwarded.length).toBeGreaterThan(0);
    expect(views.routing.some((e) => e.failingAtReceivers)).toBe(true);
    expect(new Set(views.alerts.map((a) => a.rule))).toEqual(new Set(['reports.unknown-source', 'reports.pass-rate', 'reports.tls-failures']));

    // Every record survived, with far fewer distinct shapes than records, and the text columns are gone.
    const counts = db.prepare('SELECT (SELECT COUNT(*) FROM dmarc_records) AS records, (SELECT COUNT(*) FROM dmarc_record_shapes) AS shapes').get() as { records: number; shapes: number };
    expect(counts.records).toBe(records);
    expect(counts.shapes).toBeLessThan(records / 2);
    expect((db.prepare('SELECT name FROM pragma_table_info(?)').all('dmarc_records') as { name: string }[]).map((c) => c.name)).toEqual(['report', 'seq', 'ip', 'count', 'verdict', 'shape']);
    // Reports already there before the migration are still recognised as duplicates.
    const again = await new ReportsService(new ReportsRepo(db), () => NOW).ingest(inputs.slice(0, 5));
    expect([again.stored.aggregate, again.duplicates]).toEqual([0, 5]);
  });
});
