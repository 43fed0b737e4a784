import { randomUUID } from 'node:crypto';
import type { ConnectionsRepo } from '../db/connections-repo.ts';
import { toSummary } from '../db/connections-repo.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { Clock } from '../platform/clock.ts';
import type {
  ConnectionKind,
  ConnectionSummary,
  NewGoogleConnection,
  NewMailcowConnection,
  NewMicrosoftConnection,
  NewStalwartConnection,
  ConnectionTestReport,
  ImapSettings,
  NewImapConnection,
  NewPostfixAdminConnection,
} from '../../shared/domain/connection.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';

/** Adds, lists, tests and removes connections; the only code that pairs a connection with its secret. */
export class ConnectionsService {
  private readonly repo: ConnectionsRepo;
  private readonly vault: CredentialVault;
  private readonly clock: Clock;

  constructor(repo: ConnectionsRepo, vault: CredentialVault, clock: Clock) {
    this.repo = repo;
    this.vault = vault;
    this.clock = clock;
  }

  /** Every connection, renderer-safe. */
  list(): ConnectionSummary[] {
    return this.repo.list().map(toSummary);
  }

  /** One connection by id or by name. */
  find(idOrName: string): ConnectionSummary | null {
    const record = this.repo.get(idOrName) ?? this.repo.findByName(idOrName);
    return record ? toSummary(record) : null;
  }

  /** Stores a new IMAP connection: settings in the cache, the password in the keychain. */
  async addImap(input: NewImapConnection): Promise<Result<ConnectionSummary>> {
    if (this.repo.findByName(input.name)) {
      return err('conflict', `A connection named "${input.name}" already exists.`);
    }
    const id = randomUUID();
    const secretRef = `connection:${id}`;
    const settings: ImapSettings = {
      host: input.host,
      port: input.port,
      tls: input.tls,
      user: input.user,
      ...(input.pinnedFingerprint ? { pinnedFingerprint: input.pinnedFingerprint } : {}),
    };
    await this.vault.set(secretRef, input.password);
    try {
      this.repo.insert({ id, name: input.name, kind: 'imap', settings: { ...settings }, secretRef, createdAt: this.clock.now().toISOString() });
    } catch (error) {
      // Do not leave an orphaned secret in the keychain when the cache refuses the row.
      await this.vault.delete(secretRef);
      throw error;
    }
    return ok(toSummary(this.repo.get(id)!));
  }

  /** Stores a PostfixAdmin SQL connection: settings in the cache, the SQL password (if any) in the keychain. */
  async addPostfixAdmin(input: NewPostfixAdminConnection): Promise<Result<ConnectionSummary>> {
    if (this.repo.findByName(input.name)) return err('conflict', `A connection named "${input.name}" already exists.`);
    const { name, password, ...settings } = input;
    const id = randomUUID();
    const secretRef = password ? `connection:${id}` : null;
    if (secretRef) await this.vault.set(secretRef, password!);
    try {
      this.repo.insert({ id, name, kind: 'postfixadmin', settings: { ...settings }, secretRef, createdAt: this.clock.now().toISOString() });
    } catch (error) {
      if (secretRef) await this.vault.delete(secretRef);
      throw error;
    }
    return ok(toSummary(this.repo.get(id)!));
  }

  /** Stores a mailcow connection; the API key goes to the keychain. */
  addMailcow(input: NewMailcowConnection): Promise<Result<ConnectionSummary>> {
    const { name, apiKey, ...settings } = input;
    return this.addWithSecret(name, 'mailcow', settings, apiKey);
  }

  /** Stores a Stalwart connection; the password or API key goes to the keychain. */
  addStalwart(input: NewStalwartConnection): Promise<Result<ConnectionSummary>> {
    const { name, secret, ...settings } = input;
    return this.addWithSecret(name, 'stalwart', settings, secret);
  }

  /** Stores a Google Workspace connection; the service-account JSON key goes to the keychain. */
  addGoogle(input: NewGoogleConnection): Promise<Result<ConnectionSummary>> {
    const { name, serviceAccountJson, ...settings } = input;
    // The key's client_email is shown so the admin can match it in Admin console › Security › API controls.
    let clientEmail: unknown;
    try {
      clientEmail = (JSON.parse(serviceAccountJson) as { client_email?: unknown }).client_email;
    } catch {
      return Promise.resolve(err('input.invalid', 'The service-account key is not valid JSON.'));
    }
    return this.addWithSecret(name, 'google', { ...settings, ...(typeof clientEmail === 'string' ? { clientEmail } : {}) }, serviceAccountJson);
  }

  /** Stores a Microsoft 365 connection; the client secret goes to the keychain. */
  addMicrosoft(input: NewMicrosoftConnection): Promise<Result<ConnectionSummary>> {
    const { name, clientSecret, ...settings } = input;
    return this.addWithSecret(name, 'microsoft', settings, clientSecret);
  }

  private async addWithSecret(name: string, kind: ConnectionKind, settings: Record<string, unknown>, secret: string): Promise<Result<ConnectionSummary>> {
    if (this.repo.findByName(name)) return err('conflict', `A connection named "${name}" already exists.`);
    const id = randomUUID();
    const secretRef = `connection:${id}`;
    await this.vault.set(secretRef, secret);
    try {
      this.repo.insert({ id, name, kind, settings, secretRef, createdAt: this.clock.now().toISOString() });
    } catch (error) {
      await this.vault.delete(secretRef);
      throw error;
    }
    return ok(toSummary(this.repo.get(id)!));
  }

  /** Caches the outcome of a test made elsewhere (adapter probes). */
  recordTest(id: string, passed: boolean, message: string): void {
    this.repo.recordTest(id, this.clock.now().toISOString(), passed, message);
  }

  /** Logs in to the server and reports what it offers; the outcome is cached on the connection. */
  async test(id: string): Promise<Result<ConnectionTestReport>> {
    const record = this.repo.get(id) ?? this.repo.findByName(id);
    if (!record) return err('notFound', `No connection "${id}".`);
    if (record.kind !== 'imap') return err('backend.unsupported', `Testing ${record.kind} connections is not available yet.`);
    const password = record.secretRef ? await this.vault.get(record.secretRef) : null;
    if (password === null) return err('vault.notFound', `The password of "${record.name}" is not in the keychain; remove and add the connection again.`);
    // imapflow is loaded on the first test, not at start-up.
    const { probeImap } = await import('../backends/imap/imap-probe.ts');
    const result = await probeImap(record.settings as unknown as ImapSettings, { password });
    const message = result.ok
      ? `Logged in; ${result.value.folderCount} folders, ${result.value.capabilities.length} capabilities`
      : result.error.message;
    this.repo.recordTest(record.id, this.clock.now().toISOString(), result.ok, message);
    return result;
  }

  /** Removes a connection, its cached objects and its keychain secret. */
  async remove(id: string): Promise<Result<ConnectionSummary>> {
    const record = this.repo.get(id) ?? this.repo.findByName(id);
    if (!record) return err('notFound', `No connection "${id}".`);
    this.repo.remove(record.id);
    if (record.secretRef) await this.vault.delete(record.secretRef);
    return ok(toSummary(record));
  }

  /** The password of a connection, for services that log in on the user's behalf (never for the renderer). */
  async secretOf(id: string): Promise<string | null> {
    const record = this.repo.get(id);
    return record?.secretRef ? this.vault.get(record.secretRef) : null;
  }
}
