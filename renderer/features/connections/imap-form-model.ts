import type { NewImapConnection, TlsMode } from '../../../shared/domain/connection.ts';
import { normalizeHost, plaintextProblem } from '../../../shared/lib/validate.ts';

/** The IMAP form as typed: every field a string, exactly as in the inputs. */
export interface ImapFormValues {
  readonly name: string;
  readonly host: string;
  readonly port: string;
  readonly tls: TlsMode;
  readonly user: string;
  readonly password: string;
  readonly pinnedFingerprint: string;
}

/** A validation message per field; absent means valid. */
export type ImapFormErrors = Partial<Record<keyof ImapFormValues, string>>;

/** The usual IMAP port for a TLS mode: 993 for implicit TLS (RFC 8314), 143 otherwise. */
export function defaultPort(tls: TlsMode): string {
  return tls === 'implicit' ? '993' : '143';
}

/** A blank form with implicit TLS, the mode RFC 8314 recommends. */
export function emptyImapForm(): ImapFormValues {
  return { name: '', host: '', port: defaultPort('implicit'), tls: 'implicit', user: '', password: '', pinnedFingerprint: '' };
}

/** Checks the form; returns either the input for connections.addImap or the messages to show. */
export function validateImapForm(values: ImapFormValues): { readonly input: NewImapConnection } | { readonly errors: ImapFormErrors } {
  const errors: ImapFormErrors = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'Enter a name, e.g. “Acme mail server”.';
  else if (name.length > 80) errors.name = 'Use at most 80 characters.';
  const host = values.host.trim() === '' ? null : normalizeHost(values.host);
  if (values.host.trim() === '') errors.host = 'Enter the server’s host name or IP address.';
  else if (host === null) errors.host = 'This is not a valid host name or IP address (no “imap://”, no spaces).';
  const port = /^\d+$/.test(values.port.trim()) ? Number(values.port.trim()) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'Enter a port number from 1 to 65535.';
  if (values.user.trim() === '') errors.user = 'Enter the user name, usually the full email address.';
  else if (values.user.length > 320) errors.user = 'Use at most 320 characters.';
  if (values.password === '') errors.password = 'Enter the password.';
  const fingerprint = values.pinnedFingerprint.trim();
  if (fingerprint !== '' && !/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/.test(fingerprint)) {
    errors.pinnedFingerprint = 'A SHA-256 fingerprint is 64 hexadecimal digits, with or without colons.';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      name,
      host: host!,
      port,
      tls: values.tls,
      user: values.user.trim(),
      password: values.password,
      ...(fingerprint ? { pinnedFingerprint: fingerprint } : {}),
      // The form shows its plaintext warning as soon as "None" is chosen: choosing it is the consent.
      ...(plaintextProblem({ tls: values.tls, host: host! }) ? { allowPlaintext: true } : {}),
    },
  };
}
