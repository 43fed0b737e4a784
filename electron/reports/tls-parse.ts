import type { TlsFailureDetail, TlsPolicyResult, TlsReport } from '../../shared/domain/reports.ts';
import { DecodeError, strictUtf8 } from './report-decode.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Json, key: string): string | null => (typeof o[key] === 'string' && (o[key] as string).trim() !== '' ? (o[key] as string).trim() : null);

function count(o: Json, key: string, where: string): number {
  const v = o[key];
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new DecodeError(`${where}: ${key} is not a whole number`);
  return v;
}

function seconds(value: string | null, where: string, what: string): number {
  const ms = value === null ? Number.NaN : Date.parse(value);
  if (Number.isNaN(ms)) throw new DecodeError(`${where}: ${what} is ${value === null ? 'missing' : `"${value.slice(0, 40)}", not a date-time`}`);
  return Math.floor(ms / 1000);
}

function failure(o: unknown, where: string): TlsFailureDetail {
  if (!isObject(o)) throw new DecodeError(`${where}: a failure-details entry is not an object`);
  return {
    resultType: (str(o, 'result-type') ?? 'unknown').toLowerCase(),
    sendingMtaIp: str(o, 'sending-mta-ip'),
    receivingMx: str(o, 'receiving-mx-hostname')?.toLowerCase().replace(/\.$/, '') ?? null,
    receivingIp: str(o, 'receiving-ip'),
    sessions: count(o, 'failed-session-count', where),
  };
}

function policyResult(o: unknown, at: number, name: string): TlsPolicyResult {
  const where = `${name}: policy ${at + 1}`;
  if (!isObject(o) || !isObject(o['policy'])) throw new DecodeError(`${where} has no policy object`);
  const policy = o['policy'];
  const domain = str(policy, 'policy-domain');
  if (!domain) throw new DecodeError(`${where} has no policy-domain`);
  const summary = isObject(o['summary']) ? o['summary'] : {};
  const details = o['failure-details'];
  return {
    policyType: (str(policy, 'policy-type') ?? 'no-policy-found').toLowerCase(),
    policyDomain: domain.toLowerCase().replace(/\.$/, ''),
    mxHosts: Array.isArray(policy['mx-host']) ? policy['mx-host'].filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [],
    successful: count(summary, 'total-successful-session-count', where),
    failed: count(summary, 'total-failure-session-count', where),
    failures: Array.isArray(details) ? details.map((d) => failure(d, where)) : [],
  };
}

/** True when a document looks like an SMTP TLS report (JSON with `policies` and `report-id`), judged cheaply by its start. */
export function looksLikeTlsReport(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8').trimStart();
  return head.startsWith('{') && /"(policies|report-id|organization-name)"/.test(head);
}

/** Reads an SMTP TLS report (RFC 8460 section 4), or throws DecodeError saying what is wrong. */
export function parseTlsReport(name: string, bytes: Buffer): TlsReport {
  let doc: unknown;
  try {
    doc = JSON.parse(strictUtf8(name, bytes));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(`${name} is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw new DecodeError(`${name} is JSON but not a TLS report object`);
  const orgName = str(doc, 'organization-name');
  const reportId = str(doc, 'report-id');
  if (!orgName || !reportId) throw new DecodeError(`${name}: the TLS report lacks ${orgName ? 'report-id' : 'organization-name'}`);
  const range = isObject(doc['date-range']) ? doc['date-range'] : {};
  if (!Array.isArray(doc['policies'])) throw new DecodeError(`${name}: the TLS report has no policies list`);
  return {
    kind: 'tls',
    orgName,
    reportId,
    begin: seconds(str(range, 'start-datetime'), name, 'start-datetime'),
    end: seconds(str(range, 'end-datetime'), name, 'end-datetime'),
    policies: doc['policies'].map((p, i) => policyResult(p, i, name)),
  };
}
