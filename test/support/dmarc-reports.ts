import { gzipSync } from 'node:zlib';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import yazl from 'yazl';

/** One `<record>` of a generated aggregate report. */
export interface RecordSpec {
  readonly ip: string;
  readonly count: number;
  readonly dkim?: string;
  readonly spf?: string;
  readonly disposition?: string;
  readonly headerFrom?: string;
  readonly dkimDomain?: string;
  readonly spfDomain?: string;
  readonly reasons?: readonly { type: string; comment?: string }[];
}

/** What a generated aggregate report says. */
export interface AggregateSpec {
  readonly org?: string;
  readonly id: string;
  readonly domain: string;
  readonly begin?: number;
  readonly end?: number;
  readonly records: readonly RecordSpec[];
  readonly schema?: 'rfc7489' | 'dmarcbis';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An aggregate report as receivers write it: RFC 7489 appendix C, or the DMARCbis schema with its namespace. */
export function aggregateXml(spec: AggregateSpec): string {
  const bis = spec.schema === 'dmarcbis';
  const begin = spec.begin ?? 1_764_979_200;
  const records = spec.records.map((r) => {
    const reasons = (r.reasons ?? []).map((x) => `<reason><type>${esc(x.type)}</type>${x.comment ? `<comment>${esc(x.comment)}</comment>` : ''}</reason>`).join('');
    return `  <record>
    <row><source_ip>${r.ip}</source_ip><count>${r.count}</count>
      <policy_evaluated><disposition>${r.disposition ?? 'none'}</disposition><dkim>${r.dkim ?? 'pass'}</dkim><spf>${r.spf ?? 'pass'}</spf>${reasons}</policy_evaluated></row>
    <identifiers>${bis ? `<envelope_to>${esc(spec.org ?? 'receiver.example')}</envelope_to>` : ''}<header_from>${esc(r.headerFrom ?? spec.domain)}</header_from></identifiers>
    <auth_results><dkim><domain>${esc(r.dkimDomain ?? spec.domain)}</domain><selector>s1</selector><result>${r.dkim ?? 'pass'}</result></dkim><spf><domain>${esc(r.spfDomain ?? spec.domain)}</domain>${bis ? '' : '<scope>mfrom</scope>'}<result>${r.spf ?? 'pass'}</result></spf></auth_results>
  </record>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" ?>
<feedback${bis ? ' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"' : ''}>
  <version>1.0</version>
  <report_metadata><org_name>${esc(spec.org ?? 'receiver.example')}</org_name><email>noreply-dmarc@receiver.example</email><report_id>${esc(spec.id)}</report_id>
    <date_range><begin>${begin}</begin><end>${spec.end ?? begin + 86_399}</end></date_range>${bis ? '<generator>Receiver 2.1</generator>' : ''}</report_metadata>
  <policy_published><domain>${esc(spec.domain)}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp>${bis ? '<np>reject</np><discovery_method>treewalk</discovery_method><testing>n</testing>' : '<pct>100</pct>'}</policy_published>
${records.join('\n')}
</feedback>
`;
}

/** An SMTP TLS report (RFC 8460 section 4.4's example shape). */
export function tlsJson(spec: { org?: string; id: string; domain: string; ok: number; failed: readonly { type: string; mx: string; count: number }[]; day?: string }): string {
  const day = spec.day ?? '2026-12-05';
  return JSON.stringify({
    'organization-name': spec.org ?? 'receiver.example',
    'date-range': { 'start-datetime': `${day}T00:00:00Z`, 'end-datetime': `${day}T23:59:59Z` },
    'contact-info': 'tlsrpt@receiver.example',
    'report-id': spec.id,
    policies: [
      {
        policy: { 'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: enforce', `mx: mx.${spec.domain}`, 'max_age: 86400'], 'policy-domain': spec.domain, 'mx-host': [`mx.${spec.domain}`] },
        summary: { 'total-successful-session-count': spec.ok, 'total-failure-session-count': spec.failed.reduce((n, f) => n + f.count, 0) },
        'failure-details': spec.failed.map((f) => ({ 'result-type': f.type, 'sending-mta-ip': '192.0.2.9', 'receiving-mx-hostname': f.mx, 'failed-session-count': f.count })),
      },
    ],
  });
}

/** Bytes gzip-compressed, as most receivers attach them. */
export const gz = (text: string | Buffer): Buffer => gzipSync(text);

/** A zip archive holding the named files. */
export function zip(files: Record<string, string | Buffer>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, body] of Object.entries(files)) archive.addBuffer(Buffer.from(body), name);
  archive.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    archive.outputStream.on('data', (c: Buffer) => chunks.push(c));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

// nodemailer's stream transport builds the message without sending it anywhere.
const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
const build = async (message: SendMailOptions): Promise<Buffer> => (await builder.sendMail(message)).message as Buffer;

/** A report message as a receiver sends it, with the report attached (or as its body). */
export function reportMessage(options: { subject: string; attachment?: { filename: string; content: Buffer; contentType: string }; text?: string; messageId?: string }): Promise<Buffer> {
  return build({
    from: 'noreply-dmarc-support@receiver.example',
    to: 'dmarc@example.test',
    subject: options.subject,
    date: new Date('2026-12-05T08:00:00Z'),
    text: options.text ?? 'This is a DMARC aggregate report.',
    ...(options.messageId ? { messageId: options.messageId } : {}),
    ...(options.attachment ? { attachments: [options.attachment] } : {}),
  });
}

/** An RFC 6591 failure report: multipart/report with a feedback-report part and the original headers. */
export async function arfMessage(options: { domain: string; ip: string; messageId: string }): Promise<Buffer> {
  const raw = await build({
    from: 'dmarc-failures@receiver.example',
    to: 'ruf@example.test',
    subject: `FW: Authentication failure for ${options.domain}`,
    messageId: options.messageId,
    date: new Date('2026-12-05T09:00:00Z'),
    text: 'This is an authentication failure report for an email message received from IP ' + options.ip,
    attachments: [
      { contentType: 'message/feedback-report', content: `Feedback-Type: auth-failure\r\nUser-Agent: Receiver/1.0\r\nVersion: 1\r\nOriginal-Mail-From: <bounce@${options.domain}>\r\nArrival-Date: Sat, 05 Dec 2026 08:59:00 +0000\r\nSource-IP: ${options.ip}\r\nReported-Domain: ${options.domain}\r\nAuth-Failure: dmarc\r\nAuthentication-Results: receiver.example; dmarc=fail header.from=${options.domain}\r\n` },
      { contentType: 'text/rfc822-headers', content: `From: Spoofer <ceo@${options.domain}>\r\nTo: victim@receiver.example\r\nSubject: Urgent wire transfer\r\nDate: Sat, 05 Dec 2026 08:58:00 +0000\r\n` },
    ],
  });
  // multipart/report is what makes it ARF; nodemailer builds multipart/mixed, so the type is set on the root.
  return Buffer.from(raw.toString('utf8').replace(/Content-Type: multipart\/mixed;/i, 'Content-Type: multipart/report; report-type=feedback-report;'));
}
