import type { ExpectedRecord, GeneratedRecords, RecordPlan } from '../../shared/domain/dns.ts';
import { defaultCheckOptions, type CheckContext } from './context.ts';
import type { DnsClient, Lookup, MxRecord, SrvRecord } from './resolver.ts';
import { countSpfLookups } from './checks/spf.ts';
import { isSpfRecord, parseSpf } from './checks/spf-parse.ts';

interface Draft {
  readonly name: string;
  readonly type: 'MX' | 'TXT' | 'CNAME' | 'SRV' | 'NS';
  readonly value: string;
}

/** Splits a TXT value into quoted character-strings of at most 255 octets (RFC 1035 §3.3; RFC 6376 §3.6.2.2 joins them). */
export function splitTxt(value: string): string {
  const chunks: string[] = [];
  let current = '';
  for (const ch of value) {
    if (Buffer.byteLength(current + ch) > 255) {
      chunks.push(current);
      current = '';
    }
    current += ch;
  }
  chunks.push(current);
  return chunks.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/** The DMARC TXT value the generator publishes for a domain at a policy; reports go to `rua` (dmarc-reports@ the domain by default). */
export function dmarcRecord(domain: string, policy: 'none' | 'quarantine' | 'reject', rua?: string): string {
  return `v=DMARC1; p=${policy}; rua=${rua ?? `mailto:dmarc-reports@${domain}`}`;
}

/** The MTA-STS policy file for a plan (RFC 8461 §3.2). */
export function mtaStsPolicy(plan: RecordPlan): string {
  const mx = plan.mxHosts && plan.mxHosts.length > 0 ? plan.mxHosts : [plan.mailHost];
  return ['version: STSv1', `mode: ${plan.mtaStsMode ?? 'enforce'}`, ...mx.map((h) => `mx: ${h}`), 'max_age: 604800', ''].join('\r\n');
}

function policyId(policy: string): string {
  let h = 0;
  for (const ch of policy) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `v${h.toString(36)}`;
}

/** Builds the SPF record: existing includes kept, plan includes and sending IPs added, flattened until it needs 10 lookups or fewer. */
async function spfRecord(ctx: CheckContext, plan: RecordPlan, notes: string[]): Promise<string> {
  if (plan.profile === 'parked') return 'v=spf1 -all';
  const existing = await ctx.dns.txt(plan.domain);
  const current = existing.status === 'ok' ? existing.records.find(isSpfRecord) : undefined;
  const kept = current ? parseSpf(current).terms.filter((t) => t.kind === 'mechanism' && t.name !== 'all') : [];
  const allTerm = current ? parseSpf(current).terms.find((t) => t.name === 'all') : undefined;
  const terms: string[] = [];
  const add = (t: string): void => {
    if (!terms.some((x) => x.toLowerCase() === t.toLowerCase())) terms.push(t);
  };
  add('mx');
  for (const ip of plan.sendingIps ?? []) add(`${ip.includes(':') ? 'ip6' : 'ip4'}:${ip}`);
  for (const t of kept) add(t.raw.replace(/^\+/, ''));
  for (const inc of plan.spfIncludes ?? []) add(`include:${inc}`);
  const all = allTerm && (allTerm.qualifier === '-' || allTerm.qualifier === '~') ? allTerm.raw : '~all';
  const record = (): string => ['v=spf1', ...terms, all].join(' ');
  let count = await countSpfLookups(ctx, plan.domain, parseSpf(record()).terms);
  if (count.lookups > 10) {
    // Flatten our own a/mx terms into addresses first: they are the ones we control (RFC 7208 §4.6.4).
    const mx = plan.mxHosts && plan.mxHosts.length > 0 ? plan.mxHosts : [plan.mailHost];
    const addrs = (await Promise.all(mx.map((h) => ctx.dns.addresses(h)))).flatMap((a) => (a.status === 'ok' ? a.records : []));
    if (addrs.length > 0) {
      terms.splice(terms.indexOf('mx'), 1);
      for (const ip of addrs) add(`${ip.includes(':') ? 'ip6' : 'ip4'}:${ip}`);
      count = await countSpfLookups(ctx, plan.domain, parseSpf(record()).terms);
    }
  }
  if (count.lookups > 10) notes.push(`The merged SPF record still needs ${count.lookups} lookups; remove unused includes or ask providers for flatter ones.`);
  return record();
}

// RFC 2182 §5: at least two name servers. The generator cannot invent them; it takes the plan's or the live set.
async function nameServerDrafts(ctx: CheckContext, plan: RecordPlan, notes: string[]): Promise<Draft[]> {
  let names = (plan.nameServers ?? []).map((n) => n.toLowerCase().replace(/\.$/, ''));
  if (names.length === 0) {
    const live = await ctx.dns.lookup<string[]>(plan.domain, 'NS');
    names = live.status === 'ok' ? live.records.map((n) => n.toLowerCase().replace(/\.$/, '')) : [];
  }
  if (new Set(names).size < 2) notes.push('Publish at least two name servers (RFC 2182): add the second one your DNS provider gives you, at the registrar and in the zone.');
  return [...new Set(names)].map((n) => ({ name: plan.domain, type: 'NS', value: `${n}.` }));
}

/** The full record set a domain should publish for a plan; pure apart from reading the current SPF and NS. */
export async function expectedDrafts(ctx: CheckContext, plan: RecordPlan, notes: string[]): Promise<{ drafts: Draft[]; policy: string | null }> {
  const d = plan.domain;
  const ns = await nameServerDrafts(ctx, plan, notes);
  if (plan.profile === 'parked') {
    return {
      drafts: [
        ...ns,
        { name: d, type: 'MX', value: '0 .' },
        { name: d, type: 'TXT', value: 'v=spf1 -all' },
        { name: `_dmarc.${d}`, type: 'TXT', value: 'v=DMARC1; p=reject; sp=reject' },
      ],
      policy: null,
    };
  }
  const mx = plan.mxHosts && plan.mxHosts.length > 0 ? plan.mxHosts : [plan.mailHost];
  const policy = mtaStsPolicy(plan);
  const drafts: Draft[] = [
    ...ns,
    ...mx.map((h, i) => ({ name: d, type: 'MX' as const, value: `${(i + 1) * 10} ${h}.` })),
    { name: d, type: 'TXT', value: await spfRecord(ctx, plan, notes) },
    ...(plan.dkim ?? []).map((k) => ({ name: `${k.selector}._domainkey.${d}`, type: 'TXT' as const, value: k.publicKeyRecord })),
    { name: `_dmarc.${d}`, type: 'TXT', value: dmarcRecord(d, 'quarantine', plan.dmarcRua) },
    { name: `_mta-sts.${d}`, type: 'TXT', value: `v=STSv1; id=${policyId(policy)}` },
    { name: `mta-sts.${d}`, type: 'CNAME', value: `${plan.policyHost ?? plan.mailHost}.` },
    { name: `_smtp._tls.${d}`, type: 'TXT', value: `v=TLSRPTv1; rua=${plan.tlsRptRua ?? `mailto:tlsrpt@${d}`}` },
    { name: `autoconfig.${d}`, type: 'CNAME', value: `${plan.mailHost}.` },
    { name: `autodiscover.${d}`, type: 'CNAME', value: `${plan.mailHost}.` },
    { name: `_autodiscover._tcp.${d}`, type: 'SRV', value: `0 1 443 ${plan.mailHost}.` },
    { name: `_imaps._tcp.${d}`, type: 'SRV', value: `0 1 993 ${plan.mailHost}.` },
    { name: `_submissions._tcp.${d}`, type: 'SRV', value: `0 1 465 ${plan.mailHost}.` },
    { name: `_submission._tcp.${d}`, type: 'SRV', value: `0 1 587 ${plan.mailHost}.` },
  ];
  if ((plan.dkim ?? []).length === 0) notes.push('No DKIM key in the plan: generate one (RSA-2048 and Ed25519) or copy the record your platform shows.');
  if (!plan.mtaStsMode) notes.push('The MTA-STS policy is in enforce mode: publish it once STARTTLS on every MX has a trusted certificate (Mailroom warns about a hosted domain left in testing).');
  notes.push(`Serve the MTA-STS policy at https://mta-sts.${d}/.well-known/mta-sts.txt with a certificate valid for mta-sts.${d}.`);
  return { drafts, policy };
}

function norm(type: string, v: string): string {
  const s = v.trim().toLowerCase().replace(/\.$/, '');
  return type === 'TXT' ? s.replace(/;\s*/g, ';').replace(/;$/, '') : s.replace(/\s+/g, ' ');
}

async function actualValues(dns: DnsClient, draft: Draft): Promise<Lookup<string[]>> {
  switch (draft.type) {
    case 'TXT': {
      const a = await dns.txt(draft.name);
      if (a.status !== 'ok') return a;
      const prefix = draft.value.split(/[;\s]/)[0]!.toLowerCase();
      return { status: 'ok', records: a.records.filter((t) => t.toLowerCase().startsWith(prefix)) };
    }
    case 'MX': {
      const a = await dns.lookup<MxRecord[]>(draft.name, 'MX');
      return a.status === 'ok' ? { status: 'ok', records: a.records.map((r) => `${r.priority} ${r.exchange || ''}.`) } : a;
    }
    case 'SRV': {
      const a = await dns.lookup<SrvRecord[]>(draft.name, 'SRV');
      return a.status === 'ok' ? { status: 'ok', records: a.records.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}.`) } : a;
    }
    case 'NS':
    case 'CNAME': {
      const a = await dns.lookup<string[]>(draft.name, draft.type);
      return a.status === 'ok' ? { status: 'ok', records: a.records.map((r) => `${r}.`) } : a;
    }
  }
}

/** Generates the expected record set for a plan, compares it with DNS, and renders a zone file. */
export async function generateRecords(plan: RecordPlan, dns: DnsClient): Promise<GeneratedRecords> {
  const notes: string[] = [];
  const ctx: CheckContext = { domain: plan.domain, dns, options: defaultCheckOptions(), add: () => undefined };
  const { drafts, policy } = await expectedDrafts(ctx, plan, notes);
  const records: ExpectedRecord[] = await Promise.all(
    drafts.map(async (draft) => {
      const actual = await actualValues(dns, draft);
      const zoneValue = draft.type === 'TXT' ? splitTxt(draft.value) : draft.value;
      if (actual.status === 'failed') return { ...draft, zoneValue, actual: null, status: 'unknown' as const };
      const values = actual.status === 'ok' ? actual.records : [];
      const status = values.length === 0 ? 'missing' : values.some((v) => norm(draft.type, v) === norm(draft.type, draft.value)) ? 'match' : 'different';
      return { ...draft, zoneValue, actual: values, status };
    }),
  );
  const zoneFile = [
    `; Mailroom: expected mail records for ${plan.domain}`,
    `$ORIGIN ${plan.domain}.`,
    ...records.map((r) => `${r.name === plan.domain ? '@' : r.name.slice(0, -(plan.domain.length + 1))}\t300\tIN\t${r.type}\t${r.zoneValue}`),
    '',
  ].join('\n');
  return { domain: plan.domain, records, mtaStsPolicy: policy, zoneFile, notes };
}
