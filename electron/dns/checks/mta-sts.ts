import { parsePolicy, validateMx } from 'mailauth/lib/mta-sts.js';
import { finding, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import { httpsGet } from '../https-fetch.ts';
import type { MxHost } from './mx.ts';

/** The MTA-STS state the SMTP checks depend on. */
export interface MtaStsState {
  readonly mode: 'enforce' | 'testing' | 'none' | null;
  readonly deployed: boolean;
}

/** Port the policy host is fetched from; 443 except in tests. */
export interface MtaStsOptions {
  readonly port: number;
}

const MAX_POLICY = 64 * 1024;

/** MTA-STS family (RFC 8461): record, policy host, policy fetch and syntax, MX coverage. */
export async function checkMtaSts(ctx: CheckContext, mx: readonly MxHost[] | null, opts: MtaStsOptions = { port: 443 }): Promise<MtaStsState> {
  const name = `_mta-sts.${ctx.domain}`;
  const answer = await ctx.dns.txt(name);
  if (unknownIfFailed(ctx, 'mta-sts.missing', 'the MTA-STS record', answer)) return { mode: null, deployed: false };
  const records = answer.status === 'ok' ? answer.records.filter((t) => /^v=STSv1/i.test(t.trim())) : [];
  if (records.length === 0) {
    ctx.add(finding('mta-sts.missing', 'info', 'MTA-STS is not deployed: senders may deliver over unencrypted or unauthenticated connections.', [], `Publish ${rr(name, 'TXT', 'v=STSv1; id=<yyyymmddhhmm>')} and a policy at https://mta-sts.${ctx.domain}/.well-known/mta-sts.txt.`));
    return { mode: null, deployed: false };
  }
  const display = records.map((t) => rr(name, 'TXT', t));
  if (records.length > 1) {
    ctx.add(finding('mta-sts.record-invalid', 'error', `${name} has ${records.length} STSv1 records; senders then ignore MTA-STS (RFC 8461 §3.1).`, display, 'Keep exactly one record.'));
  } else if (!/^v=STSv1;\s*id=[A-Za-z0-9]{1,32}\s*(;\s*[a-z0-9_.-]+=[\x21-\x3a\x3c\x3e-\x7e]*\s*)*;?\s*$/.test(records[0]!)) {
    ctx.add(finding('mta-sts.record-invalid', 'error', 'The MTA-STS record must read "v=STSv1; id=<1 to 32 letters and digits>" (RFC 8461 §3.1).', display, `Publish ${rr(name, 'TXT', 'v=STSv1; id=20250101000000')}.`));
  }
  const host = `mta-sts.${ctx.domain}`;
  const addresses = await ctx.dns.addresses(host);
  if (unknownIfFailed(ctx, 'mta-sts.host-missing', `the address of ${host}`, addresses)) return { mode: null, deployed: true };
  if (addresses.status !== 'ok') {
    ctx.add(finding('mta-sts.host-missing', 'error', `${host} does not resolve, so senders cannot fetch the policy and MTA-STS is not in effect.`, display, `Publish an A/AAAA (or CNAME) record for ${host} pointing at the web server that serves the policy.`));
    return { mode: null, deployed: true };
  }
  const fetched = await httpsGet(host, '/.well-known/mta-sts.txt', { address: addresses.records[0]!, port: opts.port, timeoutMs: ctx.options.httpsTimeoutMs, ca: ctx.options.ca, maxBytes: MAX_POLICY });
  const url = `https://${host}/.well-known/mta-sts.txt`;
  if (!fetched.ok) {
    const unreachable = /ECONNREFUSED|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|no answer/.test(fetched.reason) && !fetched.tls;
    ctx.add(finding('mta-sts.policy-fetch', unreachable ? 'unknown' : 'error', `${url} could not be fetched: ${fetched.reason}.`, [url], fetched.tls ? `Serve the policy with a publicly trusted certificate valid for ${host}.` : `Serve the policy over HTTPS at ${url}.`));
    return { mode: null, deployed: true };
  }
  if (fetched.status !== 200) {
    ctx.add(finding('mta-sts.policy-fetch', 'error', `${url} answered HTTP ${fetched.status}${fetched.location ? ` (redirect to ${fetched.location}; RFC 8461 §3.3 forbids following it)` : ''}.`, [url], 'Serve the policy directly with status 200.'));
    return { mode: null, deployed: true };
  }
  if (!/^text\/plain\b/i.test(fetched.contentType)) {
    ctx.add(finding('mta-sts.policy-fetch', 'error', `${url} is served as "${fetched.contentType || 'no Content-Type'}", not text/plain (RFC 8461 §3.3).`, [url], 'Serve the file with Content-Type: text/plain.'));
  }
  let policy: { mode?: string; mx?: string[]; maxAge?: number };
  try {
    policy = parsePolicy(fetched.body, { strict: true }) as typeof policy;
  } catch (error) {
    ctx.add(finding('mta-sts.policy-syntax', 'error', `The MTA-STS policy is invalid: ${(error as Error).message} (RFC 8461 §3.2).`, [fetched.body.slice(0, 500)], 'Publish "version: STSv1", "mode: enforce|testing|none", one "mx:" line per MX and "max_age: 604800".'));
    return { mode: null, deployed: true };
  }
  const mode = (policy.mode ?? 'none') as 'enforce' | 'testing' | 'none';
  const policyDisplay = [fetched.body.trim().slice(0, 500)];
  if (mode !== 'enforce' || (policy.maxAge ?? 0) < 604800) {
    // A hosted domain is one Mailroom runs end to end: leaving it in testing means TLS is never enforced.
    const severity = mode === 'testing' && ctx.options.profile === 'hosted' ? 'warning' : 'info';
    ctx.add(finding('mta-sts.mode-weak', severity, `The MTA-STS policy is mode ${mode} with max_age ${policy.maxAge}; senders do not enforce TLS${mode === 'enforce' ? ' for long' : ''}.`, policyDisplay, 'Move to "mode: enforce" with max_age of at least 604800 (a week) once TLS-RPT reports are clean.'));
  }
  if (mode !== 'none' && mx) {
    const uncovered = mx.filter((h) => !validateMx(h.host, policy as never).valid);
    if (uncovered.length > 0) {
      const severity = mode === 'enforce' ? 'critical' : 'warning';
      ctx.add(finding('mta-sts.mx-not-in-policy', severity, `MX ${uncovered.map((h) => h.host).join(', ')} ${uncovered.length > 1 ? 'are' : 'is'} not covered by the policy's mx patterns${mode === 'enforce' ? '; senders that enforce MTA-STS will not deliver to it' : ''} (RFC 8461 §4.1).`, policyDisplay, `Add "mx: ${uncovered[0]!.host}" to the policy and bump the id in ${name}.`));
    }
  }
  return { mode, deployed: true };
}

/** TLS-RPT family (RFC 8460): one valid `_smtp._tls` record, expected when MTA-STS or DANE is deployed. */
export async function checkTlsRpt(ctx: CheckContext, expected: boolean): Promise<void> {
  const name = `_smtp._tls.${ctx.domain}`;
  const answer = await ctx.dns.txt(name);
  if (answer.status === 'failed') {
    if (expected) unknownIfFailed(ctx, 'tlsrpt.missing', 'the TLS-RPT record', answer);
    return;
  }
  const records = answer.status === 'ok' ? answer.records.filter((t) => /^v=TLSRPTv1/i.test(t.trim())) : [];
  if (records.length === 0) {
    if (expected) ctx.add(finding('tlsrpt.missing', 'info', 'MTA-STS or DANE is deployed but no TLS-RPT record asks for failure reports.', [], `Publish ${rr(name, 'TXT', `v=TLSRPTv1; rua=mailto:tlsrpt@${ctx.domain}`)}.`));
    return;
  }
  const display = records.map((t) => rr(name, 'TXT', t));
  if (records.length > 1) {
    ctx.add(finding('tlsrpt.invalid', 'error', `${name} has ${records.length} TLS-RPT records; senders ignore them all (RFC 8460 §3).`, display, 'Keep exactly one record.'));
    return;
  }
  const problems = tlsRptProblems(records[0]!);
  if (problems.length > 0) {
    ctx.add(finding('tlsrpt.invalid', 'error', `The TLS-RPT record is invalid: ${problems.join('; ')}.`, display, `Publish ${rr(name, 'TXT', `v=TLSRPTv1; rua=mailto:tlsrpt@${ctx.domain}`)}.`));
  }
}

/** Problems of a TLS-RPT record (RFC 8460 §3): v=TLSRPTv1 first, a rua of mailto: or https: URIs. */
export function tlsRptProblems(record: string): string[] {
  const problems: string[] = [];
  const parts = record.split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts[0] !== 'v=TLSRPTv1') problems.push('it must start with "v=TLSRPTv1"');
  const rua = parts.find((p) => /^rua=/i.test(p));
  if (!rua) problems.push('the rua= tag is missing');
  else {
    const uris = rua.slice(4).split(',').map((u) => u.trim());
    const bad = uris.filter((u) => !/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(u) && !/^https:\/\/[^\s]+$/i.test(u));
    if (bad.length > 0 || uris.length === 0) problems.push(`rua URIs must be mailto: or https: (${bad.join(', ') || 'empty'})`);
  }
  return problems;
}
