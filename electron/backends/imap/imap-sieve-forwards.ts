import type { ImapSettings } from '../../../shared/domain/connection.ts';
import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { ManageSieveSession, type ManageSieveEndpoint } from '../managesieve/managesieve-client.ts';
import { SieveSyntaxError } from '../sieve/sieve-lexer.ts';
import { forwardingOf, readSieveRedirects, type SieveForwards } from '../sieve/sieve-redirects.ts';

/** The ManageSieve port of RFC 5804 §1.8. */
export const MANAGESIEVE_PORT = 4190;

/** Where an IMAP connection's ManageSieve server is: its IMAP host, STARTTLS unless the connection runs without TLS. */
export function sieveEndpoint(settings: ImapSettings): ManageSieveEndpoint {
  return {
    host: settings.host,
    port: settings.sievePort ?? MANAGESIEVE_PORT,
    // The connection's own TLS choice stands: 'none' was only accepted for loopback or with --allow-plaintext.
    security: settings.tls === 'none' ? 'none' : 'starttls',
    ...(settings.pinnedFingerprint ? { pinnedFingerprint: settings.pinnedFingerprint } : {}),
  };
}

/**
 * The account's forwarding as the redirects of its active Sieve script say (RFC 5228 §4.2); null when no script
 * is active or it redirects nowhere. A script Mailroom's reader refuses is a clear validation error naming the
 * script and line, never a guess.
 */
export async function readSieveForwarding(settings: ImapSettings, password: string, signal?: AbortSignal): Promise<Result<ForwardingInfo | null>> {
  const endpoint = sieveEndpoint(settings);
  const opened = await ManageSieveSession.open(endpoint, settings.user, password, signal);
  if (!opened.ok) return opened;
  const session = opened.value;
  try {
    const scripts = await session.listScripts();
    if (!scripts.ok) return scripts;
    const active = scripts.value.find((s) => s.active);
    if (!active) return ok(null);
    const text = await session.getScript(active.name);
    if (!text.ok) return text;
    let read: SieveForwards;
    try {
      read = readSieveRedirects(text.value);
    } catch (error) {
      if (!(error instanceof SieveSyntaxError)) throw error;
      return err('backend.validation', `The active Sieve script "${active.name}" of ${settings.user} on ${endpoint.host}:${endpoint.port} uses syntax Mailroom cannot read (${error.message}), so its forwards are unknown.`);
    }
    const forwards = forwardingOf(settings.user, read);
    return ok(forwards.state === 'off' ? null : forwards);
  } finally {
    await session.close();
  }
}
