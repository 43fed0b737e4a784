import { createHash, X509Certificate } from 'node:crypto';
import { finding, rr, type CheckContext } from '../context.ts';
import { rawQuery, RR } from '../raw-dns.ts';
import type { TlsaRecord } from '../resolver.ts';
import { probeSmtp, type PresentedCertificate, type SmtpProbe } from '../smtp-probe.ts';
import type { MtaStsState } from './mta-sts.ts';
import type { MxHost } from './mx.ts';
import { reverseCheck } from './reputation.ts';

const DAY = 86_400_000;
// internet.nl tests at most 10 MX; one address per MX keeps the probe polite (servers rate-limit).
const MAX_HOSTS = 5;

/** SMTP transport family: mx.smtp-unreachable, tls.*, dane.* and mta-sts.enforce-tls-broken. */
export async function checkSmtp(ctx: CheckContext, hosts: readonly MxHost[], sts: MtaStsState): Promise<void> {
  if (hosts.length === 0) return;
  if (!ctx.options.smtp.enabled) {
    await checkTlsaInDns(ctx, hosts.slice(0, MAX_HOSTS));
    return;
  }
  const probed = await Promise.all(hosts.slice(0, MAX_HOSTS).map(async (h) => probeHost(ctx, h)));
  await checkTlsaInDns(ctx, probed.filter((p) => p.probe.status === 'unreachable').map((p) => p.host));
  if (probed.every((p) => p.probe.status === 'unreachable')) {
    const reasons = probed.map((p) => `${p.host.host}: ${(p.probe as { reason: string }).reason}`);
    ctx.add(finding('mx.smtp-unreachable', 'unknown', `Could not test SMTP: no MX answered on port ${ctx.options.smtp.port} (${reasons.join('; ')}). Outbound port 25 is often blocked on desktop networks.`, [], 'Run the check from a network that allows outbound port 25, or check that the MX servers are up.'));
  }
  const enforce = sts.mode === 'enforce';
  for (const { host, probe, legacy } of probed) {
    await judge(ctx, host, probe, enforce);
    if (legacy) {
      const only = legacy === 'only';
      ctx.add(finding('tls.protocol-version', 'warning', `${host.host} ${only ? 'speaks only' : 'still accepts'} TLS 1.0/1.1, which are deprecated (RFC 8996; NCSC-NL: phase out).`, [], only ? 'Enable TLS 1.2 and 1.3 on the MX.' : 'Disable TLS 1.0 and 1.1 on the MX (e.g. Postfix smtpd_tls_protocols = >=TLSv1.2).'));
    }
    if (probe.status === 'ok' || probe.status === 'no-starttls') {
      await checkBanner(ctx, host, probe.banner, probe.ehlo);
      if (probe.openRelay) ctx.add(finding('mx.open-relay', 'error', `${host.host} (${host.addresses[0]}) accepted a recipient at another domain from an outside sender: it is an open relay and will be abused and blocklisted.`, [], 'Restrict relaying to authenticated users and your own networks (Postfix smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination).'));
    }
  }
}

// One handshake with the default versions (TLS 1.2+), then one offering only TLS 1.0/1.1:
// NCSC-NL grades 1.0/1.1 "phase out" whether or not something newer is also offered.
async function probeHost(ctx: CheckContext, host: MxHost): Promise<{ host: MxHost; probe: SmtpProbe; legacy: 'only' | 'also' | null }> {
  const opts = { port: ctx.options.smtp.port, timeoutMs: ctx.options.smtp.timeoutMs, ca: ctx.options.ca };
  const probe = await probeSmtp(host.addresses[0]!, host.host, { ...opts, relayTest: ctx.options.smtp.relayTest ?? false });
  if (probe.status !== 'ok' && probe.status !== 'tls-failed') return { host, probe, legacy: null };
  const old = await probeSmtp(host.addresses[0]!, host.host, { ...opts, legacyTls: true });
  // the legacy probe never runs the relay test, so carry the first probe's verdict over
  if (old.status !== 'ok') return { host, probe, legacy: null };
  return probe.status === 'ok' ? { host, probe, legacy: 'also' } : { host, probe: { ...old, openRelay: null }, legacy: 'only' };
}

/** The host name a 220 greeting or 250 EHLO reply announces (RFC 5321 §4.2: the domain follows the code). */
export function announcedHost(line: string): string | null {
  const m = /^(?:220|250)[ -]([A-Za-z0-9.[\]:-]+)/.exec(line);
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : null;
}

async function checkBanner(ctx: CheckContext, host: MxHost, banner: string, ehlo: string): Promise<void> {
  const ip = host.addresses[0]!;
  const reverse = await reverseCheck(ctx, ip);
  // No PTR is mx.ptr-missing's finding; a failed lookup proves nothing.
  if (reverse.status !== 'ok' && reverse.status !== 'mismatch') return;
  const names = [announcedHost(banner), announcedHost(ehlo)].filter((n): n is string => n !== null);
  const wrong = [...new Set(names.filter((n) => !reverse.names.includes(n)))];
  if (names.length === 0 || wrong.length > 0) {
    const said = names.length === 0 ? 'no host name' : wrong.join(' / ');
    ctx.add(finding('mx.banner-ptr-mismatch', 'info', `${host.host} (${ip}) announces ${said} in its SMTP greeting, but its PTR names ${reverse.names.join(', ')}; some receivers and blocklists score that mismatch.`, [banner, ...reverse.names.map((n) => rr(reverse.ptrName, 'PTR', `${n}.`))], `Set the server's host name (Postfix myhostname) to ${reverse.names[0]}, or point the PTR at the announced name.`));
  }
}

async function judge(ctx: CheckContext, host: MxHost, probe: SmtpProbe, enforce: boolean): Promise<void> {
  const where = `${host.host} (${host.addresses[0]})`;
  const broken = (why: string): void => {
    if (enforce) ctx.add(finding('mta-sts.enforce-tls-broken', 'critical', `MTA-STS is in enforce mode but ${where} ${why}; senders that honour the policy will not deliver (RFC 8461 §4.2).`, [], 'Fix TLS on the MX (a trusted certificate naming the host), or switch the policy to testing until it is fixed.'));
  };
  switch (probe.status) {
    case 'unreachable':
      return;
    case 'no-starttls':
      ctx.add(finding('tls.starttls-missing', 'error', `${where} does not offer STARTTLS; mail to it travels in clear text (RFC 3207).`, [], 'Enable STARTTLS with a certificate for the host name.'));
      broken('does not offer STARTTLS');
      return;
    case 'tls-failed':
      ctx.add(finding('tls.starttls-failed', 'error', `${where} offers STARTTLS but the TLS handshake fails: ${probe.reason}.`, [], 'Install a valid certificate and key on the MX and check its TLS settings.'));
      broken('fails the TLS handshake');
      return;
    case 'ok':
      judgeCertificate(ctx, host, probe.certificate, enforce, broken);
      await checkDane(ctx, host, probe.certificate);
      return;
  }
}

function judgeCertificate(ctx: CheckContext, host: MxHost, cert: PresentedCertificate, enforce: boolean, broken: (why: string) => void): void {
  const where = host.host;
  // SMTP TLS is opportunistic: internet.nl caps trust and name findings at info unless MTA-STS enforces.
  if (!cert.trusted) {
    ctx.add(finding('tls.cert-untrusted', enforce ? 'critical' : 'info', `The certificate of ${where} is not trusted (${cert.trustError ?? 'unknown issuer'}).`, [], 'Use a certificate from a public CA (e.g. Let\'s Encrypt).'));
    broken(`presents an untrusted certificate (${cert.trustError})`);
  }
  if (!cert.nameMatches) {
    ctx.add(finding('tls.cert-name-mismatch', enforce ? 'critical' : 'info', `The certificate of ${where} does not name ${where}.`, [], `Issue the certificate for ${where}.`));
    broken('presents a certificate for another name');
  }
  const left = cert.validTo.getTime() - ctx.options.now().getTime();
  if (left <= 0) ctx.add(finding('tls.cert-expiry', 'critical', `The certificate of ${where} expired on ${cert.validTo.toISOString().slice(0, 10)}.`, [], 'Renew the certificate now.'));
  else if (left <= 7 * DAY) ctx.add(finding('tls.cert-expiry', 'error', `The certificate of ${where} expires in ${Math.ceil(left / DAY)} days.`, [], 'Renew the certificate.'));
  else if (left <= 21 * DAY) ctx.add(finding('tls.cert-expiry', 'warning', `The certificate of ${where} expires in ${Math.ceil(left / DAY)} days.`, [], 'Check that automatic renewal works.'));
}

function hashWith(match: number, data: Buffer): Buffer | null {
  if (match === 0) return data;
  if (match === 1) return createHash('sha256').update(data).digest();
  if (match === 2) return createHash('sha512').update(data).digest();
  return null;
}

/** The association data a TLSA record with this selector and matching type expects for a certificate. */
export function tlsaData(der: Buffer, selector: number, match: number): Buffer | null {
  const subject = selector === 0 ? der : selector === 1 ? new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }) : null;
  return subject ? hashWith(match, subject) : null;
}

// Whether TLSA records can count at all is a question for DNS alone, so it is answered even when
// port 25 cannot be reached (desktop networks, --no-smtp); matching them needs the certificate.
async function checkTlsaInDns(ctx: CheckContext, hosts: readonly MxHost[]): Promise<void> {
  await Promise.all(
    hosts.map(async (host) => {
      const name = `_25._tcp.${host.host}`;
      const answer = await ctx.dns.lookup<TlsaRecord[]>(name, 'TLSA');
      if (answer.status !== 'ok' || answer.records.length === 0) return;
      await checkTlsaSigned(ctx, host.host, answer.records.map((r) => tlsaText(name, r)));
    }),
  );
}

function tlsaText(name: string, r: TlsaRecord): string {
  return rr(name, 'TLSA', `${r.certUsage} ${r.selector} ${r.match} ${Buffer.from(r.data as ArrayBuffer).toString('hex')}`);
}

async function checkDane(ctx: CheckContext, host: MxHost, cert: PresentedCertificate): Promise<void> {
  // RFC 7672 §3: the TLSA name uses the SMTP port, 25, whatever port the probe used.
  const name = `_25._tcp.${host.host}`;
  const answer = await ctx.dns.lookup<TlsaRecord[]>(name, 'TLSA');
  if (answer.status !== 'ok') return;
  const records = answer.records;
  const display = records.map((r) => tlsaText(name, r));
  await checkTlsaSigned(ctx, host.host, display);
  const usable = records.filter((r) => r.certUsage === 2 || r.certUsage === 3);
  if (usable.length === 0) {
    ctx.add(finding('dane.tlsa-usage', 'warning', 'The TLSA records use PKIX usages (0/1), which SMTP DANE ignores (RFC 7672 §3.1.3).', display, 'Publish DANE-EE records: "3 1 1 <SHA-256 of the SPKI>".'));
    return;
  }
  const matches = usable.some((r) => {
    const candidates = r.certUsage === 3 ? cert.chain.slice(0, 1) : cert.chain.slice(1);
    const want = Buffer.from(r.data as ArrayBuffer);
    return candidates.some((der) => {
      try {
        return tlsaData(der, r.selector, r.match)?.equals(want) ?? false;
      } catch {
        // an unparseable certificate in the chain cannot match
        return false;
      }
    });
  });
  if (!matches) {
    const expected = cert.chain[0] ? tlsaData(cert.chain[0], 1, 1)?.toString('hex') : undefined;
    ctx.add(finding('dane.tlsa-mismatch', 'critical', `No TLSA record at ${name} matches the certificate ${host.host} presents; DANE-validating senders will not deliver (RFC 7672).`, display, expected ? `Publish ${rr(name, 'TLSA', `3 1 1 ${expected}`)} (keep the old record until the rollover is done).` : 'Publish a TLSA record for the live certificate.'));
  } else if (records.length < 2) {
    ctx.add(finding('dane.rollover', 'info', 'Only one TLSA record: a key change will break DANE unless the next key is published first (RFC 7671).', display, 'Publish a second TLSA record for the next key (or the issuing CA, usage 2).'));
  }
}

// RFC 7672 §2.2: TLSA records only count when DNSSEC-validated; a zone without DNSKEY cannot be.
async function checkTlsaSigned(ctx: CheckContext, host: string, display: string[]): Promise<void> {
  const server = ctx.rawServer;
  if (!server) return;
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    const answer = await ctx.dns.rawQuery(name, 'DNSKEY', () => rawQuery(server, name, RR.DNSKEY));
    if (!answer.ok) return;
    if (answer.types.includes(RR.DNSKEY)) return;
  }
  ctx.add(finding('dane.tlsa-missing', 'error', `TLSA records are published for ${host} but its zone is not DNSSEC-signed, so senders ignore them (RFC 7672 §2.2).`, display, 'Sign the zone with DNSSEC (and publish the DS at the parent), or remove the TLSA records.'));
}
