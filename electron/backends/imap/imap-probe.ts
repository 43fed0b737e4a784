import { ImapFlow } from 'imapflow';
import type { ConnectionTestReport, ImapSettings } from '../../../shared/domain/connection.ts';
import { ok, type Result } from '../../../shared/errors/result.ts';
import { classifyImapError } from './imap-errors.ts';
import type { ImapAuth } from '../../imap/imap-endpoint.ts';
import { buildImapFlowOptions, type ImapTimeouts } from './imap-options.ts';

/** Connects, logs in, reads capabilities and counts folders; never throws for an expected failure. */
export async function probeImap(
  settings: ImapSettings,
  auth: ImapAuth,
  timeouts: ImapTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 },
): Promise<Result<ConnectionTestReport>> {
  const started = performance.now();
  const client = new ImapFlow(buildImapFlowOptions(settings, auth, timeouts));
  // imapflow emits 'error' for socket failures after connect; without a listener Node would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const folders = await client.list();
    const tls = client.tls
      ? {
          protocol: (client.tls as { version?: string }).version ?? null,
          fingerprint: fingerprintOf(client),
        }
      : null;
    const report: ConnectionTestReport = {
      capabilities: [...client.capabilities.keys()].sort(),
      folderCount: folders.length,
      latencyMs: Math.round(performance.now() - started),
      tls,
      serverId: (client.serverInfo as Record<string, string> | null) ?? null,
    };
    await client.logout();
    return ok(report);
  } catch (error) {
    client.close();
    return { ok: false, error: classifyImapError(error, `${settings.host}:${settings.port}`) };
  }
}

function fingerprintOf(client: ImapFlow): string | null {
  const socket = (client as unknown as { socket?: { getPeerCertificate?: () => { fingerprint256?: string } } }).socket;
  return socket?.getPeerCertificate?.().fingerprint256 ?? null;
}
