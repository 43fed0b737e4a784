import { type AppError, appError } from '../../../shared/errors/result.ts';
import { connectionLimitError, saysConnectionLimit } from '../../imap/connection-limit.ts';

interface ImapFlowErrorFields {
  code?: string;
  authenticationFailed?: boolean;
  responseStatus?: string;
  responseText?: string;
  serverResponseCode?: string;
  throttleReset?: number;
  message?: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_PIN_MISMATCH',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'NoConnection',
  'ClosedAfterConnectTLS',
  'ClosedAfterConnectText',
  'EConnectionClosed',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ETIMEOUT']);

/** Classifies anything imapflow (or the socket under it) throws into a stable AppError, once, at the edge. */
export function classifyImapError(error: unknown, where: string): AppError {
  const e = (error ?? {}) as ImapFlowErrorFields;
  const code = e.code ?? '';
  const text = e.responseText ?? e.message ?? String(error);
  const detail = { code: code || undefined, serverResponseCode: e.serverResponseCode, response: e.responseText };
  // Dovecot refuses a login over mail_max_userip_connections as NO [LIMIT] with the password accepted: no wrong password.
  if (saysConnectionLimit(e.responseText)) return connectionLimitError(where, e.responseText!);
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return appError('imap.auth', `${where}: the server rejected the login (user name, password or access token).`, { detail });
  }
  // RFC 5530 LIMIT is an implementation limit (a size, a folder count), not a rate: retrying cannot help.
  if (e.serverResponseCode === 'LIMIT') return appError('imap.protocol', `${where}: the server refused it as over one of its limits: ${text}`, { detail });
  if (e.throttleReset !== undefined || code === 'ETHROTTLE') {
    return appError('imap.throttled', `${where}: the server is throttling requests.`, {
      retryable: true,
      ...(e.throttleReset !== undefined ? { retryAfterMs: e.throttleReset } : {}),
      detail,
    });
  }
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|altname/i.test(text)) {
    return appError('imap.tls', `${where}: the server's TLS certificate is not trusted (${code || text}).`, { detail });
  }
  if (TIMEOUT_CODES.has(code)) {
    return appError('imap.timeout', `${where}: the server did not answer in time.`, { retryable: true, detail });
  }
  if (CONNECTION_CODES.has(code)) {
    const reason = code === 'ECONNREFUSED' ? 'nothing is listening on that port' : code === 'ENOTFOUND' ? 'the host name does not resolve' : 'the connection dropped';
    return appError('imap.connection', `${where}: cannot reach the server (${reason}).`, { retryable: true, detail });
  }
  if (e.serverResponseCode === 'TOOBIG' || /too (big|large)|size limit/i.test(text)) {
    return appError('imap.tooLarge', `${where}: the server refused a message as too large.`, { detail });
  }
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') {
    return appError('imap.protocol', `${where}: the server answered ${e.responseStatus}: ${text}`, { detail });
  }
  return appError('imap.connection', `${where}: ${text}`, { retryable: true, detail });
}
