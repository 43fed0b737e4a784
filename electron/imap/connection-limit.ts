import { appError, type AppError } from '../../shared/errors/result.ts';

// Dovecot: "NO [LIMIT] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)"
// (older versions and some proxies as "* BYE …"); Gmail: "Too many simultaneous connections"; others "connection limit".
const LIMIT_TEXT = /maximum number of connections|too many (?:simultaneous |concurrent |open )?connections|connection limit/i;

/** True when a server's answer to a login says the account has as many connections as it allows. */
export function saysConnectionLimit(text: string | null | undefined): boolean {
  return text !== null && text !== undefined && LIMIT_TEXT.test(text);
}

/**
 * A login refused because the account has all the connections the server allows it: retryable (another
 * client may log out), and told apart from a wrong password by `isConnectionLimit`.
 */
export function connectionLimitError(where: string, text: string): AppError {
  return appError('imap.throttled', `${where}: the server allows no more connections for this account (${text.replace(/^\* BYE\s*/i, '')})`, { retryable: true, detail: { connectionLimit: true, response: text } });
}

/** True for an error made by connectionLimitError. */
export function isConnectionLimit(error: AppError | null | undefined): boolean {
  return (error?.detail as { connectionLimit?: unknown } | undefined)?.connectionLimit === true;
}
