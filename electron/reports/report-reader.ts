import { simpleParser, type Attachment } from 'mailparser';
import type { ParsedReport, ReportError } from '../../shared/domain/reports.ts';
import { isAggregateDocument, parseAggregate } from './aggregate-parse.ts';
import { failureFromArf, failureFromText, feedbackFields, reportKey } from './failure-parse.ts';
import { DecodeError, DEFAULT_LIMITS, decodeReportBytes, type DecodeLimits } from './report-decode.ts';
import { looksLikeTlsReport, parseTlsReport } from './tls-parse.ts';
import { parseXmlDocument } from './xml-document.ts';

/** What one message or file yielded: the reports read and, per part that could not be read, why. */
export interface ReadOutcome {
  readonly reports: ParsedReport[];
  readonly errors: ReportError[];
}

const looksLikeXml = (b: Buffer): boolean => /^\s*(<\?xml|<(\w+:)?feedback[\s>])/.test(b.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, ''));
// A stored message starts with header fields; a report document starts with "<", "{" or compressed bytes.
const looksLikeMessage = (b: Buffer): boolean => /^(?:[!-9;-~]+:[^\r\n]*\r?\n)+/.test(b.subarray(0, 2048).toString('latin1'));

/** Reads one decompressed document as an aggregate (XML) or TLS (JSON) report. */
function readDocument(name: string, bytes: Buffer): ParsedReport {
  if (looksLikeTlsReport(bytes)) return parseTlsReport(name, bytes);
  if (looksLikeXml(bytes)) {
    const doc = parseXmlDocument(name, bytes);
    if (isAggregateDocument(doc)) return parseAggregate(name, doc);
    throw new DecodeError(`${name} is XML but not a DMARC aggregate report (no <feedback> root)`);
  }
  throw new DecodeError(`${name} is neither a DMARC aggregate report (XML) nor an SMTP TLS report (JSON)`);
}

/** Reads report bytes (plain, gzip or zip) into reports; each unreadable document becomes an error, never a throw. */
export async function readReportBytes(source: string, bytes: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<ReadOutcome> {
  const out: ReadOutcome = { reports: [], errors: [] };
  let docs;
  try {
    docs = await decodeReportBytes(source, bytes, limits);
  } catch (error) {
    out.errors.push({ source, reason: reason(error) });
    return out;
  }
  for (const doc of docs) {
    const name = doc.name === source ? source : `${source} › ${doc.name}`;
    try {
      out.reports.push(readDocument(name, doc.bytes));
    } catch (error) {
      out.errors.push({ source: name, reason: reason(error) });
    }
  }
  return out;
}

const REPORTISH = /(xml|gzip|zip|json|tlsrpt|octet-stream)/i;

/** Reads every report a stored message carries: attachments, an XML or JSON body, an ARF part, or a plain-text failure report. */
export async function readReportMessage(source: string, raw: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<ReadOutcome> {
  const out: ReadOutcome = { reports: [], errors: [] };
  if (raw.length > limits.maxInput * 2) {
    out.errors.push({ source, reason: `the message is ${raw.length} bytes, over the limit for a report message` });
    return out;
  }
  let mail;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (error) {
    out.errors.push({ source, reason: `the message cannot be parsed (${(error as Error).message})` });
    return out;
  }
  const key = reportKey(mail.messageId, raw);
  const reporter = mail.from?.value[0]?.address?.toLowerCase() ?? null;
  const attachments: Attachment[] = mail.attachments ?? [];
  const arf = attachments.find((a) => a.contentType.toLowerCase() === 'message/feedback-report');
  if (arf) {
    const original = attachments.find((a) => /^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/i.test(a.contentType));
    const headers = original ? original.content.toString('utf8').split(/\r?\n\r?\n/)[0]! : null;
    const failure = failureFromArf(feedbackFields(arf.content.toString('utf8')), { key, reporter, originalHeaders: headers });
    if (failure) out.reports.push(failure);
    else out.errors.push({ source, reason: 'an ARF report that is not an authentication-failure report' });
    return out;
  }
  let found = 0;
  for (const [i, part] of attachments.entries()) {
    const name = `${source} › ${part.filename ?? `part ${i + 1}`}`;
    const reportish = REPORTISH.test(part.contentType) || /\.(xml|gz|zip|json)$/i.test(part.filename ?? '');
    if (!reportish) continue;
    found += 1;
    const read = await readReportBytes(name, part.content, limits);
    out.reports.push(...read.reports);
    out.errors.push(...read.errors);
  }
  if (found > 0) return out;
  const body = Buffer.from(mail.text ?? '', 'utf8');
  if (looksLikeXml(body) || looksLikeTlsReport(body)) {
    const read = await readReportBytes(`${source} › body`, body, limits);
    out.reports.push(...read.reports);
    out.errors.push(...read.errors);
    return out;
  }
  const text = failureFromText(mail.text ?? '', { key, reporter, subject: mail.subject ?? null });
  if (text) out.reports.push(text);
  else out.errors.push({ source, reason: 'no report in this message (no XML, JSON, gzip or zip attachment and no ARF part)' });
  return out;
}

/** Reads a file: a stored message (.eml) or report bytes, told apart by content. */
export async function readReportFile(source: string, bytes: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<ReadOutcome> {
  return looksLikeMessage(bytes) ? readReportMessage(source, bytes, limits) : readReportBytes(source, bytes, limits);
}

function reason(error: unknown): string {
  if (error instanceof DecodeError) return error.message;
  return `unexpected error: ${(error as Error).message ?? String(error)}`;
}
