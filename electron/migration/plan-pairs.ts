import { err, ok, type ErrorCode, type Result } from '../../shared/errors/result.ts';
import { secretMissing } from '../../shared/lib/secret-missing.ts';
import type { MigrationPlanRow } from '../../shared/domain/migration.ts';
import type { CopyMailboxSide } from '../../shared/domain/migration-copy.ts';
import type { ImapSettings } from '../../shared/domain/connection.ts';
import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { parseEndpointUrl, type EndpointAddress } from './endpoint.ts';
import type { SavedConnections } from '../dav/cloud-side.ts';
import type { DavAccount } from '../dav/dav-client.ts';
import { davSideProblem, openDavSide } from './plan-dav.ts';

/** What the plan rows need: the keychain, the connections, and endpoint defaults for tests. */
export interface PlanPairsDeps {
  readonly vault: CredentialVault;
  readonly connections: ConnectionsService;
  readonly endpointDefaults?: Partial<Pick<ImapEndpoint, 'ca' | 'servername' | 'timeoutMs'>>;
}

/** The mailbox pairs of plans and copies: validating rows, keeping their passwords in the keychain, resolving endpoints. */
export class PlanPairs {
  private readonly deps: PlanPairsDeps;

  constructor(deps: PlanPairsDeps) {
    this.deps = deps;
  }

  /** Checks one CSV row, stores its passwords in the keychain and returns the plan row (no secret in it). */
  async row(
    planId: string,
    seq: number,
    r: { source: string; target: string; sourcePassword?: string | undefined; targetPassword?: string | undefined; sourceDav?: string | undefined; targetDav?: string | undefined },
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
    for (const [side, dav] of [['source_dav', r.sourceDav], ['target_dav', r.targetDav]] as const) {
      const problem = dav ? davSideProblem(dav, this.deps.connections) : null;
      if (problem) return err('input.invalid', `Row ${seq + 1}, ${side}: ${problem}`);
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
      sourceDav: r.sourceDav ?? null,
      targetDav: r.targetDav ?? null,
      dav: null,
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

  /** Where one side of a row logs in, without its password: its URL, or its user on its connection's host. */
  locate(row: MigrationPlanRow, side: 'source' | 'target'): Result<{ address: EndpointAddress; conn: ImapSettings | null }> {
    const text = side === 'source' ? row.source : row.target;
    const connId = side === 'source' ? row.sourceConnectionId : row.targetConnectionId;
    const conn = connId ? this.imapConnection(connId) : null;
    if (conn && !conn.ok) return conn;
    if (text.includes('://')) {
      const parsed = parseEndpointUrl(text);
      return typeof parsed === 'string' ? err('input.invalid', parsed) : ok({ address: parsed, conn: conn?.value ?? null });
    }
    const c = conn!.value;
    return ok({ address: { host: c.host, port: c.port, tls: c.tls, user: text }, conn: c });
  }

  /** One side of migration.copyMailbox as an endpoint: a URL with its secret, or a saved connection with its keychain password. */
  async copySide(side: CopyMailboxSide, name: 'source' | 'target', ca: string | undefined): Promise<Result<ImapEndpoint>> {
    const extra = { ...this.deps.endpointDefaults, ...(side.pin ? { pinnedFingerprint: side.pin } : {}), ...(ca ? { ca } : {}) };
    if ('url' in side) {
      const address = parseEndpointUrl(side.url);
      if (typeof address === 'string') return err('input.invalid', `${name}: ${address}`);
      return ok({ ...extra, ...address, auth: side.auth === 'xoauth2' ? { accessToken: side.secret } : { password: side.secret } });
    }
    const c = this.imapConnection(side.connectionId);
    if (!c.ok) return c;
    const password = await this.deps.connections.secretOf(side.connectionId);
    if (password === null) return { ok: false, error: secretMissing(this.deps.connections.find(side.connectionId)?.name ?? side.connectionId) };
    const pinned = side.pin ?? c.value.pinnedFingerprint;
    return ok({ ...extra, host: c.value.host, port: c.value.port, tls: c.value.tls, user: c.value.user, auth: { password }, ...(pinned ? { pinnedFingerprint: pinned } : {}) });
  }

  private async endpoint(planId: string, row: MigrationPlanRow, side: 'source' | 'target'): Promise<Result<ImapEndpoint>> {
    const located = this.locate(row, side);
    if (!located.ok) return located;
    const { address, conn } = located.value;
    const connId = side === 'source' ? row.sourceConnectionId : row.targetConnectionId;
    const sameHost = conn && conn.host === address.host && conn.port === address.port;
    let password = await this.deps.vault.get(secretAccount(planId, row.seq, side));
    if (password === null && conn && conn.user === address.user) {
      password = await this.deps.connections.secretOf(connId!);
      if (password === null) return { ok: false, error: secretMissing(this.deps.connections.find(connId!)?.name ?? connId!) };
    }
    if (password === null) return err('vault.notFound', `No password for the ${side} ${address.user}: add it to the plan CSV or use a connection for that user.`);
    return ok({
      ...address,
      auth: { password },
      ...(sameHost && conn.pinnedFingerprint ? { pinnedFingerprint: conn.pinnedFingerprint } : {}),
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

  /** The saved connections a google:/m365: DAV side names. */
  get savedConnections(): SavedConnections {
    return this.deps.connections;
  }

  /** Opens a row's source or target DAV side: its URL with that side's IMAP login, or its google:/m365: connection; a message when it cannot. */
  davSide(row: MigrationPlanRow, side: 'source' | 'target', imap: Pick<ImapEndpoint, 'user' | 'auth'>): Promise<DavAccount | string> {
    const text = side === 'source' ? row.sourceDav : row.targetDav;
    if (!text) return Promise.resolve(`the pair has no ${side}_dav.`);
    return openDavSide(text, imap, this.deps.connections);
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
