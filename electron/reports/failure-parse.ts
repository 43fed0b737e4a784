import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FailureReport } from '../../shared/domain/reports.ts';

/** Header-style fields of a `message/feedback-report` part (RFC 5965 section 3.1), names lower-cased. */
export function feedbackFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) fields.set(last, `${fields.get(last)} ${line.trim()}`);
    else {
      const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      // The first occurrence wins: RFC 6591 fields such as Reported-Domain may repeat; the first names the domain.
      if (!fields.has(last)) fields.set(last, m[2]!.trim());
    }
  }
  return fields;
}

const address = (value: string | undefined): string | null => {
  const m = value ? /<?([^<>\s]+@[^<>\s]+)>?/.exec(value) : null;
  return m ? m[1]!.toLowerCase() : null;
};
const ip = (value: string | undefined | null): string | null => (value && isIP(value.trim()) ? value.trim() : null);
const when = (value: string | undefined | null): number | null => {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};
const domainOf = (value: string | null): string | null => (value && value.includes('@') ? value.split('@').pop()!.toLowerCase() : null);

/** The failure report an ARF `message/feedback-report` part describes, or null when it is not a DMARC/auth failure. */
export function failureFromArf(fields: Map<string, string>, context: { key: string; reporter: string | null; originalHeaders: string | null }): FailureReport | null {
  const type = fields.get('feedback-type')?.toLowerCase();
  if (type !== 'auth-failure') return null;
  const original = context.originalHeaders ? feedbackFields(context.originalHeaders) : new Map<string, string>();
  const from = address(original.get('from'));
  const domain = fields.get('reported-domain')?.toLowerCase().replace(/\.$/, '') ?? domainOf(from);
  if (!domain) return null;
  return {
    kind: 'failure',
    key: context.key,
    reporter: context.reporter,
    domain,
    sourceIp: ip(fields.get('source-ip')),
    arrival: when(fields.get('arrival-date') ?? fields.get('received-date')),
    authFailure: fields.get('auth-failure')?.toLowerCase() ?? null,
    originalFrom: from ?? address(fields.get('original-mail-from')),
    originalSubject: original.get('subject') ?? null,
    format: 'arf',
  };
}

/**
 * A failure report sent as plain text without an ARF part, as some receivers do
 * ("Sender Domain: …", "Sender IP Address: …"), or null when the text is not one.
 */
export function failureFromText(body: string, context: { key: string; reporter: string | null; subject: string | null }): FailureReport | null {
  const field = (label: RegExp): string | null => label.exec(body)?.[1]?.trim() ?? null;
  const domain = field(/^\s*(?:Sender|Reported|Report)[ -]Domain:\s*(\S+)/im);
  const subjectDomain = context.subject ? /Report Domain:\s*([^\s;]+)/i.exec(context.subject)?.[1] ?? null : null;
  const chosen = (domain ?? subjectDomain)?.toLowerCase().replace(/\.$/, '');
  const mentionsDmarc = /DMARC/i.test(body) || /DMARC/i.test(context.subject ?? '');
  if (!chosen || !mentionsDmarc || !/^[a-z0-9.-]+$/.test(chosen)) return null;
  return {
    kind: 'failure',
    key: context.key,
    reporter: context.reporter,
    domain: chosen,
    sourceIp: ip(field(/^\s*(?:Sender IP Address|Source IP|Source-IP):\s*(\S+)/im)),
    arrival: when(field(/^\s*(?:Received Date|Arrival-Date|Arrival Date):\s*(.+)$/im)),
    authFailure: 'dmarc',
    originalFrom: address(field(/^\s*(?:From|Header From):\s*(.+)$/im) ?? undefined),
    originalSubject: null,
    format: 'text',
  };
}

/** A stable key for a report message: its Message-ID, else a hash of its bytes. */
export function reportKey(messageId: string | undefined, raw: Buffer): string {
  return messageId && messageId.trim() !== '' ? `mid:${messageId.trim().toLowerCase()}` : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
