import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliJson } from '../../support/cli-in-process.ts';
import { testServers } from '../../support/servers.ts';
import { dnsServer, publishZone } from '../dns/dns-fixtures.ts';
import { createRealSite, postfixAdminMissing, skipReason, type RealSite } from '../postfixadmin/support/real-postfixadmin.ts';

const ACME = 'acme-std.dlv.test';
const OTHER = 'other-std.dlv.test';
const LOOSE = 'loose-std.dlv.test';
const PW = 'Std-pw-42';

// A hosted domain that meets the DNS rules of the test standard: DMARC reject with reports to the MSP, SPF -all.
const zone = (dmarc: string, spf: string): string =>
  [`@ MX 10 mx`, `mx A 203.0.113.25`, `@ TXT "${spf}"`, `_dmarc TXT "${dmarc}"`].join('\n');
const GOOD_DMARC = `v=DMARC1; p=reject; rua=mailto:dmarc@${ACME}`;

const standard = {
  name: 'msp strict',
  version: 1,
  targets: { kind: 'all' },
  rules: [
    { rule: 'dmarc.policy-none', mode: 'alert', params: { rua: `dmarc@${ACME}` } },
    { rule: 'spf.all-neutral', mode: 'report' },
    { rule: 'provisioning.catch-all', mode: 'remediate' },
    { rule: 'provisioning.external-forward', mode: 'alert', params: { allow: ['partner.test'] } },
    { rule: 'provisioning.domain-limits', mode: 'report' },
  ],
};

describe.skipIf(postfixAdminMissing !== null)(`standards on real Knot zones and a real PostfixAdmin database${skipReason}`, () => {
  let site: RealSite;
  let dataDir: string;
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir });
  const evaluate = async (...extra: string[]): Promise<CliJson> => {
    const run = await cli('standards', 'evaluate', '--standard', 'msp strict', '--dns', dnsServer(), '--no-smtp', '--test-nets', '--timeout', '3000', ...extra, '--json');
    expect([0, 1], run.out + run.err).toContain(run.code);
    return run.json();
  };
  const find = (e: CliJson, rule: string, target: string) => (e['deviations'] as CliJson[]).find((d) => d['rule'] === rule && d['target'] === target);

  beforeAll(async () => {
    await publishZone(ACME, zone(GOOD_DMARC, 'v=spf1 mx -all'));
    await publishZone(OTHER, zone(`v=DMARC1; p=quarantine; rua=mailto:dmarc@${ACME}`, 'v=spf1 mx -all'));
    await publishZone(LOOSE, zone('v=DMARC1; p=none; rua=mailto:someone@elsewhere.test', 'v=spf1 mx ~all'));
    site = await createRealSite('sqlite', "$CONF['quota'] = 'YES';");
    await site.must('domain', 'add', ACME, '--quota', '150', '--maxquota', '100');
    await site.must('domain', 'add', OTHER, '--quota', '0');
    await site.must('mailbox', 'add', `ann@${ACME}`, '--password', PW, '--password2', PW, '--quota', '50');
    await site.must('alias', 'update', `ann@${ACME}`, '--goto', 'ann.private@gmail.test');
    await site.must('alias', 'add', `sales@${ACME}`, '--goto', `ann@${ACME},desk@partner.test`);
    await site.must('alias', 'add', `team@${ACME}`, '--goto', `ann@${ACME},leak@far.test`);
    await site.must('alias', 'add', `*@${OTHER}`, '--goto', `ann@${ACME}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mr-standards-'));
    expect((await cli('connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', site.target.path!, '--site-config', join(site.dir, 'site/config.local.php'))).code).toBe(0);
    expect((await cli('customers', 'assign', 'box', 'Acme Corp')).code).toBe(0);
    expect((await cli('domains', 'list', '--refresh', '--json')).code).toBe(0);
    const file = join(dataDir, 'strict.json');
    writeFileSync(file, JSON.stringify(standard));
    const imported = await cli('standards', 'import', file, '--json');
    expect(imported.code, imported.out + imported.err).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await site?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('domains inherit their connection\'s customer; a standard round-trips through export', async () => {
    const customers = (await cli('customers', 'list', '--json')).json()['customers'] as CliJson[];
    expect(customers).toEqual([{ name: 'Acme Corp', connections: ['box'], domains: 2 }]);
    const exported = await cli('standards', 'export', 'msp strict');
    expect(JSON.parse(exported.out)).toEqual(standard);
  });

  it('finds the drift PostfixAdmin and Knot hold, keeps `since` while it holds, and stops counting an accepted deviation', async () => {
    const first = await evaluate(LOOSE);
    expect(first['evaluated']).toBe(3);
    expect(first['alerts']).toEqual([]);
    // Read from PostfixAdmin's database: the catch-all, the private forward (the partner is allowed), the domain without a quota.
    expect(find(first, 'provisioning.catch-all', `@${OTHER}`)).toMatchObject({ mode: 'remediate', current: `catch-all to ann@${ACME}`, since: first['at'] });
    expect(find(first, 'provisioning.external-forward', `ann@${ACME}`)).toMatchObject({ current: 'forwards to ann.private@gmail.test', mode: 'alert' });
    expect(find(first, 'provisioning.external-forward', `sales@${ACME}`)).toBeUndefined();
    expect(find(first, 'provisioning.external-forward', `team@${ACME}`)).toMatchObject({ current: 'alias to leak@far.test' });
    expect(find(first, 'provisioning.domain-limits', OTHER)).toBeDefined();
    expect(find(first, 'provisioning.domain-limits', ACME)).toBeUndefined();
    // Read from Knot: the aligned domains pass, the loose one deviates on both DNS rules.
    expect(find(first, 'dmarc.policy-none', ACME)).toBeUndefined();
    expect(find(first, 'dmarc.policy-none', LOOSE)).toMatchObject({ customer: 'unassigned', mode: 'alert' });
    expect(find(first, 'dmarc.policy-none', LOOSE)?.['current']).toContain('dmarc.policy-none: p=none');
    expect(find(first, 'spf.all-neutral', LOOSE)?.['current']).toContain('~all');
    // PostfixAdmin's own default aliases (abuse@, postmaster@, … to change-this-to-your.domain.tld) leave the organisation too.
    expect(find(first, 'provisioning.external-forward', `postmaster@${OTHER}`)?.['current']).toBe('alias to postmaster@change-this-to-your.domain.tld');
    // Acme: 4 of 5 rules hold on its first domain, 2 of 5 on the other (catch-all, forwards, no quota).
    const seen = JSON.stringify([(first['deviations'] as CliJson[]).map((d) => [d['rule'], d['target'], d['current']]), first['domains']]);
    expect(first['score'], seen).toEqual({ 'Acme Corp': 60, unassigned: 0 });

    const accepted = await cli('standards', 'accept', 'msp strict', '--rule', 'provisioning.external-forward', '--target', `ann@${ACME}`, '--reason', 'CEO keeps a private copy', '--json');
    expect(accepted.code, accepted.out + accepted.err).toBe(0);
    const journal = (await cli('audit', 'list', '--json')).out;
    expect(journal).toContain('CEO keeps a private copy');

    // Drift in DNS: Acme's DMARC falls back to p=none and its reports go elsewhere.
    await publishZone(ACME, zone('v=DMARC1; p=quarantine; rua=mailto:reports@elsewhere.test', 'v=spf1 mx -all'));
    const second = await evaluate(LOOSE);
    expect(find(second, 'dmarc.policy-none', ACME)).toMatchObject({ current: 'rua=mailto:reports@elsewhere.test', since: second['at'] });
    expect(find(second, 'provisioning.catch-all', `@${OTHER}`)?.['since']).toBe(first['at']);
    expect(find(second, 'dmarc.policy-none', LOOSE)?.['since']).toBe(first['at']);
    expect(find(second, 'provisioning.external-forward', `ann@${ACME}`)).toBeUndefined();
    expect((second['accepted'] as CliJson[]).map((d) => [d['target'], d['accepted']['reason']])).toEqual([[`ann@${ACME}`, 'CEO keeps a private copy']]);

    // Remediated: DMARC by publishing the record the generator gives; the catch-all (remediate mode) by Mailroom through PostfixAdmin.
    const plan = await cli('standards', 'remediate', 'msp strict', '--rule', 'dmarc.policy-none', '--target', ACME, '--dns', dnsServer(), '--json');
    expect(plan.code, plan.out + plan.err).toBe(0);
    const fix = plan.json()['remedies'][0];
    expect(fix).toMatchObject({ kind: 'dns', record: { name: `_dmarc.${ACME}`, type: 'TXT', value: `v=DMARC1; p=quarantine; rua=mailto:dmarc@${ACME},mailto:reports@elsewhere.test` } });
    await publishZone(ACME, zone(fix['record']['value'], 'v=spf1 mx -all'));
    const loosePlan = (await cli('standards', 'remediate', 'msp strict', '--rule', 'spf.all-neutral', '--dns', dnsServer(), '--json')).json()['remedies'];
    expect(loosePlan).toEqual([expect.objectContaining({ target: LOOSE, record: { name: LOOSE, type: 'TXT', value: 'v=spf1 mx -all' } })]);
    const applied = await cli('standards', 'remediate', 'msp strict', '--apply', '--json');
    expect(applied.code, applied.out + applied.err).toBe(0);
    expect(applied.json()['applied']).toEqual([{ target: `@${OTHER}`, ok: true, message: 'alias.remove done' }]);
    const pfa = new Database(site.target.path!, { readonly: true });
    expect(pfa.prepare('SELECT count(*) AS n FROM alias WHERE address = ?').get(`@${OTHER}`)).toEqual({ n: 0 });
    // A forward outside the organisation loses only that target: the alias keeps delivering inside.
    const team = await cli('standards', 'remediate', 'msp strict', '--rule', 'provisioning.external-forward', '--target', `team@${ACME}`, '--apply', '--json');
    expect(team.code, team.out + team.err).toBe(0);
    expect(team.json()['remedies']).toEqual([expect.objectContaining({ kind: 'adapter', action: 'alias.set', targets: [`ann@${ACME}`] })]);
    expect(pfa.prepare('SELECT goto FROM alias WHERE address = ?').get(`team@${ACME}`)).toEqual({ goto: `ann@${ACME}` });
    pfa.close();
    const third = await evaluate(LOOSE);
    expect(find(third, 'dmarc.policy-none', ACME)).toBeUndefined();
    expect(find(third, 'provisioning.catch-all', `@${OTHER}`)).toBeUndefined();
    expect(find(third, 'provisioning.external-forward', `team@${ACME}`)).toBeUndefined();
    await publishZone(ACME, zone('v=DMARC1; p=none', 'v=spf1 mx -all'));
    const fourth = await evaluate(LOOSE);
    expect(find(fourth, 'dmarc.policy-none', ACME)?.['since']).toBe(fourth['at']);

    // Narrowed to one customer, only its domains are evaluated, and the other customer's drift is kept.
    const acmeOnly = await evaluate('--customer', 'Acme Corp');
    expect(acmeOnly['evaluated']).toBe(2);
    expect(Object.keys(acmeOnly['score'] as object)).toEqual(['Acme Corp']);
    const drift = (await cli('standards', 'drift', 'msp strict', '--json')).json();
    expect(drift['at']).toBe(acmeOnly['at']);
  });

  it('refuses a standard with an unknown rule in one line, exit 2, storing nothing', async () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...standard, name: 'bad', rules: [{ rule: 'spf.everything', mode: 'report' }] }));
    const run = await cli('standards', 'import', file);
    expect(run.code).toBe(2);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(run.err).toContain('unknown rule');
    expect((await cli('standards', 'list', '--json')).json()['standards'].map((s: CliJson) => s['name'])).toEqual(['email baseline', 'msp strict']);
  });

  it('alert-mode deviations raise on their second evaluation in a row, DNS ones only when two resolvers agree, and resolve when fixed', async () => {
    const file = join(dataDir, 'alerting.json');
    writeFileSync(file, JSON.stringify({ name: 'alerting', version: 1, targets: { kind: 'all' }, rules: [{ rule: 'dmarc.policy-none', mode: 'alert', params: { rua: `dmarc@${ACME}` } }, { rule: 'provisioning.external-forward', mode: 'alert', params: { allow: ['partner.test'] } }] }));
    expect((await cli('standards', 'import', file)).code).toBe(0);
    const [host, port] = dnsServer().split(':');
    // Knot answers on 127.0.0.1 and ::1: two resolvers that vote apart (where the machine has no ::1, the same one twice).
    const ipv6 = (testServers().dns as unknown as { ipv6?: boolean }).ipv6 === true;
    const two = ['--dns', `${host}:${port}`, '--dns', ipv6 ? `[::1]:${port}` : `${host}:${port}`];
    const run = async (...dns: string[]): Promise<CliJson> => {
      const r = await cli('standards', 'evaluate', '--standard', 'alerting', '--no-smtp', '--test-nets', '--timeout', '3000', ...dns, LOOSE, '--json');
      expect([0, 1], r.out + r.err).toContain(r.code);
      return r.json();
    };
    const raised = (e: CliJson) => (e['alerts'] as CliJson[]).filter((a) => a['state'] === 'raised').map((a) => `${a['rule']} ${a['target']}`);
    const forward = `provisioning.external-forward postmaster@${OTHER}`;
    const loose = `dmarc.policy-none ${LOOSE}`;

    expect((await run('--dns', dnsServer()))['alerts']).toEqual([]);
    // Held twice: the forward raises; the DNS deviation, seen through one resolver only, does not.
    const second = await run('--dns', dnsServer());
    expect(raised(second)).toContain(forward);
    expect(raised(second)).not.toContain(loose);
    // Two resolvers agree from here on: the DNS deviation raises on the second of those evaluations, not the first.
    expect(raised(await run(...two))).not.toContain(loose);
    expect(raised(await run(...two))).toContain(loose);
    const journal = (await cli('audit', 'list', '--action', 'alerts.raised', '--json')).out;
    expect(journal).toContain(LOOSE);

    await publishZone(LOOSE, zone(`v=DMARC1; p=reject; rua=mailto:dmarc@${ACME}`, 'v=spf1 mx -all'));
    const fixed = await run(...two);
    expect((fixed['alerts'] as CliJson[]).filter((a) => a['state'] === 'resolved').map((a) => `${a['rule']} ${a['target']}`)).toContain(loose);
    expect((await cli('alerts', 'list', '--json')).out).toContain(LOOSE);
  });
});
