import { err, ok, type ErrorCode, type Result } from '../../shared/errors/result.ts';
import type { MigrationPlanRow } from '../../shared/domain/migration.ts';
import type { ImapSettings } from '../../shared/domain/connection.ts';
import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { parseEndpointUrl } from './endpoint.ts';

/** What the plan rows need: the keychain, the connections, and endpoint defaults for tests. */
export interface PlanPairsDeps {
  readonly vault: CredentialVault;
  readonly connections: ConnectionsService;
  readonly endpointDefaults?: Partial<Pick<ImapEndpoint, 'ca' | 'servername' | 'timeoutMs'>>;
}

/** The mailbox pairs of plans: validating rows, keeping their passwords in the keychain, resolving endpoints. */
export class PlanPairs {
  private readonly deps: PlanPairsDeps;

  constructor(deps: PlanPairsDeps) {
    this.deps = deps;
  }

  /** Checks one CSV row, stores its passwords in the keychain and returns the plan row (no secret in it). */
  async row(
    planId: string,
    seq: number,
    r: { source: string; target: string; sourcePassword?: string; targetPassword?: string },
    sourceConnectionId: string | null,
    targetConnectionId: string | null,
  ): Promise<Result<MigrationPlanRow>> {
    for (const [side, text, conn] of [['source', r.source, sourceConnectionId], ['target', r.target, targetConnectionId]] as const) {
      if (!text) return err('input.invalid', `Row ${seq + 1}: the ${side} is empty.`);
      if (text.includes('://')) {
        const parsed = parseEndpointUrl(text);
        if (typeof parsed === 'string') return err('input.invalid', `Row ${seq + 1}, ${side}: ${parsed}`);
      } else if (!conn) return err('input.invalid', `Row ${seq + 1}: the ${side} "${text}" is a user name; give an imaps://USER@HOST URL or choose a ${side} connection.`);
    }
    if (r.sourcePassword) await this.deps.vault.set(secretAccount(planId, seq, 'source'), r.sourcePassword);
    if (r.targetPassword) await this.deps.vault.set(secretAccount(planId, seq, 'target'), r.targetPassword);
    const usesConnectionSecret = (text: string, connId: string | null): boolean => {
      if (!connId) return false;
      const c = this.imapConnection(connId);
      return c.ok && userOf(text) === c.value.user;
    };
    return ok({
      seq,
      source: r.source,
      target: r.target,
      sourceConnectionId,
      targetConnectionId,
      hasSourceSecret: Boolean(r.sourcePassword) || usesConnectionSecret(r.source, sourceConnectionId),
      hasTargetSecret: Boolean(r.targetPassword) || usesConnectionSecret(r.target, targetConnectionId),
      inventory: null,
      estimate: null,
      warnings: [],
    });
  }

  /** Both endpoints of a row, with their passwords from the keychain or the row's connection. */
  async endpoints(planId: string, row: MigrationPlanRow): Promise<Result<{ source: ImapEndpoint; target: ImapEndpoint }>> {
    const source = await this.endpoint(planId, row, 'source');
    if (!source.ok) return source;
    const target = await this.endpoint(planId, row, 'target');
    if (!target.ok) return target;
    return ok({ source: source.value, target: target.value });
  }

  private async endpoint(planId: string, row: MigrationPlanRow, side: 'source' | 'target'): Promise<Result<ImapEndpoint>> {
    const text = side === 'source' ? row.source : row.target;
    const connId = side === 'source' ? row.sourceConnectionId : row.targetConnectionId;
    const conn = connId ? this.imapConnection(connId) : null;
    if (conn && !conn.ok) return conn;
    let address: { host: string; port: number; tls: ImapSettings['tls']; user: string };
    if (text.includes('://')) {
      const parsed = parseEndpointUrl(text);
      if (typeof parsed === 'string') return err('input.invalid', parsed);
      address = parsed;
    } else {
      const c = conn!.value;
      address = { host: c.host, port: c.port, tls: c.tls, user: text };
    }
    const sameHost = conn?.ok && conn.value.host === address.host && conn.value.port === address.port;
    let password = await this.deps.vault.get(secretAccount(planId, row.seq, side));
    if (password === null && conn?.ok && conn.value.user === address.user) password = await this.deps.connections.secretOf(connId!);
    if (password === null) return err('vault.notFound', `No password for the ${side} ${address.user}: add it to the plan CSV or use a connection for that user.`);
    return ok({
      ...address,
      auth: { password },
      ...(sameHost && conn.value.pinnedFingerprint ? { pinnedFingerprint: conn.value.pinnedFingerprint } : {}),
      ...this.deps.endpointDefaults,
    });
  }

  /** The IMAP settings of a connection; other kinds cannot be migrated over IMAP. */
  imapConnection(id: string): Result<ImapSettings> {
    const c = this.deps.connections.find(id);
    if (!c) return err('notFound', `No connection ${id}.`);
    if (c.kind !== 'imap') return err('backend.unsupported' satisfies ErrorCode, `Connection "${c.name}" is not an IMAP connection; migrations copy over IMAP.`);
    return ok(c.settings as unknown as ImapSettings);
  }

  /** Removes a row's passwords from the keychain. */
  async forgetSecrets(planId: string, seq: number): Promise<void> {
    await this.deps.vault.delete(secretAccount(planId, seq, 'source')).catch(() => false);
    await this.deps.vault.delete(secretAccount(planId, seq, 'target')).catch(() => false);
  }
}

function secretAccount(planId: string, seq: number, side: 'source' | 'target'): string {
  return `migration/${planId}/${seq}/${side}`;
}

function userOf(text: string): string {
  if (!text.includes('://')) return text;
  const parsed = parseEndpointUrl(text);
  return typeof parsed === 'string' ? text : parsed.user;
}
