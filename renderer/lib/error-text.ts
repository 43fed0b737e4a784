import type { AppError, ErrorCode } from '../../shared/errors/result.ts';

/** The command that started this console, as the texts name it until the host says otherwise. */
export const DEFAULT_COMMAND = 'mailroom serve';

// A Record over the ErrorCode union: adding a code without wording is a compile error.
// `{command}` is the command the user ran; text between backticks is shown as code.
const TEXT: Record<ErrorCode, string> = {
  'input.invalid': 'Some of the values entered are not valid.',
  'transport.unauthorized': 'This window is not signed in to Mailroom. Open the address that `{command}` printed; it carries the session key.',
  'vault.unavailable': 'The system keychain is not available, so the password could not be stored or read. Unlock the keychain and try again.',
  'vault.notFound': 'A saved password is missing from the keychain. Re-enter it: Connections › Edit, or in the plan.',
  'connection.secretMissing': 'The saved password of this connection is missing from the keychain. Re-enter it: Connections › Edit.',
  'connection.inUse': 'Plans, batches or DKIM keys still use this connection. Review them before removing it.',
  notFound: 'That item no longer exists. It may have been removed in another window.',
  conflict: 'Something with that name already exists. Choose a different name.',
  'backend.unsupported': 'This platform does not support that operation.',
  'backend.auth': 'The platform rejected the credentials. Check the API key or the administrator account.',
  'backend.forbidden': 'The account is signed in but is not allowed to do this. Check its admin role or API scopes.',
  'backend.notFound': 'The platform says the object does not exist.',
  'backend.conflict': 'The platform refused the change because the object already exists or was changed meanwhile.',
  'backend.validation': 'The platform refused the values sent.',
  'backend.rateLimited': 'The platform is limiting requests. Mailroom will retry later.',
  'backend.unavailable': 'The platform is not answering right now. Try again in a moment.',
  'backend.partial': 'The change was only partly applied. Review the result before trying again.',
  'imap.auth': 'The server rejected the user name or password.',
  'imap.connection': 'Cannot reach the server. Check the host name and port, and that the server is running and reachable.',
  'imap.tls':
    "The server's TLS certificate is not trusted: it is self-signed, expired, or issued for a different name. Fix the certificate, or pin its fingerprint under Advanced.",
  'imap.throttled': 'The server is throttling requests. Wait a little and try again.',
  'imap.timeout': 'The server did not answer in time. It may be overloaded, or a firewall may be dropping the connection.',
  'imap.protocol': 'The server answered in a way Mailroom did not expect.',
  'imap.tooLarge': 'The server refused a message because it is too large.',
  'smtp.failed': 'The mail server refused to accept the message.',
  'dns.timeout': 'The DNS server did not answer in time.',
  'dns.refused': 'The DNS server refused the query.',
  'dns.failed': 'The DNS lookup failed.',
  'io.failed': 'Mailroom could not reach its background service. If you started it with `{command}`, check that it is still running.',
  'audit.damaged': 'The audit journal failed its check, so Mailroom will not sign a checkpoint of it. Run the check to see what changed.',
  cancelled: 'The operation was cancelled.',
  internal: 'Mailroom hit an unexpected problem. The details are in the log.',
};

/** The sentence shown to the user for an error code (commands between backticks); unknown codes get a generic sentence. */
export function errorText(code: string, command: string = DEFAULT_COMMAND): string {
  return Object.hasOwn(TEXT, code) ? TEXT[code as ErrorCode].replaceAll('{command}', command) : 'Something went wrong.';
}

/** What an error concerns: the connection (by name) and the object (an address, a domain, a plan). */
export interface ErrorContext {
  readonly connection?: string | null;
  readonly object?: string | null;
}

/** An error as the console words it. */
export interface DescribedError {
  /** The plain sentence for the code. */
  readonly title: string;
  /** The backend's own message (what the platform or server said), or null when it adds nothing. */
  readonly reason: string | null;
  /** The stable code and the full technical message, for support. */
  readonly details: string;
  /** "Connection · object", or null when unknown. */
  readonly context: string | null;
}

/** The backend's own words: `detail.backendMessage` when the adapter kept them apart, else the error's message. */
export function reasonOf(error: Pick<AppError, 'message' | 'detail'> & { readonly code: string }): string | null {
  const detail = error.detail as { backendMessage?: unknown } | undefined;
  const said = typeof detail?.backendMessage === 'string' && detail.backendMessage.trim() ? detail.backendMessage : error.message;
  const reason = said.trim();
  return reason === '' || reason.toLowerCase() === errorText(error.code).toLowerCase() ? null : reason;
}

/** The user sentence, the backend's reason, the details line (stable code and developer message) and the context of an AppError. */
export function describeError(error: AppError, context: ErrorContext = {}, command?: string): DescribedError {
  const where = [context.connection, context.object].filter((part): part is string => Boolean(part));
  return { title: errorText(error.code, command), reason: reasonOf(error), details: `${error.code}: ${error.message}`, context: where.length ? where.join(' · ') : null };
}
