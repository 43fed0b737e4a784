import { randomUUID } from 'node:crypto';
import type { ConnectionsRepo } from '../db/connections-repo.ts';
import { toSummary } from '../db/connections-repo.ts';
import { describeDependents, type ConnectionDependentsRepo } from '../db/connection-dependents-repo.ts';
import { peerFingerprint } from '../imap/peer-certificate.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { Clock } from '../platform/clock.ts';
import type {
  ConnectionDependents,
  ConnectionEdit,
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
import { appError, err, ok, type AppError, type Result } from '../../shared/errors/result.ts';
import { secretMissing } from '../../shared/lib/secret-missing.ts';

/** Adds, lists, edits, tests and removes connections; the only code that pairs a connection with its secret. */
export class ConnectionsService {
  private readonly repo: ConnectionsRepo;
  private readonly vault: CredentialVault;
  private readonly clock: Clock;
  private readonly dependentsRepo: ConnectionDependentsRepo | null;

  constructor(repo: ConnectionsRepo, vault: CredentialVault, clock: Clock, dependents: ConnectionDependentsRepo | null = null) {
    this.repo = repo;
    this.vault = vault;
    this.clock = clock;
    this.dependentsRepo = dependents;
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
      ...(input.sievePort ? { sievePort: input.sievePort } : {}),
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

  /** Logs in to the server and reports what it offers; the outcome, failed or not, is cached on the connection. */
  async test(id: string): Promise<Result<ConnectionTestReport>> {
    const record = this.repo.get(id) ?? this.repo.findByName(id);
    if (!record) return err('notFound', `No connection "${id}".`);
    if (record.kind !== 'imap') return err('backend.unsupported', `Testing ${record.kind} connections is not available yet.`);
    const password = record.secretRef ? await this.vault.get(record.secretRef) : null;
    if (password === null) return this.failed(record.id, secretMissing(record.name));
    // imapflow is loaded on the first test, not at start-up.
    const { probeImap } = await import('../backends/imap/imap-probe.ts');
    const settings = record.settings as unknown as ImapSettings;
    const result = await probeImap(settings, { password });
    if (!result.ok) return this.failed(record.id, result.error.code === 'imap.tls' ? await withFingerprint(result.error, settings) : result.error);
    this.repo.recordTest(record.id, this.clock.now().toISOString(), true, `Logged in; ${result.value.folderCount} folders, ${result.value.capabilities.length} capabilities`);
    return result;
  }

  /**
   * Keeps a just-added connection only when `test` passes; otherwise removes it with its secret and
   * returns the test's error (marked notSaved), so the user fixes it or saves it untested.
   */
  async keepIfTested(added: Result<ConnectionSummary>, test: (id: string) => Promise<Result<ConnectionTestReport>>): Promise<Result<ConnectionSummary>> {
    if (!added.ok) return added;
    const tested = await test(added.value.id);
    if (tested.ok) return ok(this.find(added.value.id)!);
    await this.forget(added.value.id);
    const cause = tested.error;
    const detail = { ...(typeof cause.detail === 'object' && cause.detail !== null ? cause.detail : {}), notSaved: true };
    return { ok: false, error: { ...cause, message: `The test failed, so "${added.value.name}" was not saved: ${cause.message}`, detail } };
  }

  /** Changes a connection in place: its id, which plans and batches refer to, stays; the last test is cleared until the next one. */
  async edit(idOrName: string, edit: ConnectionEdit): Promise<Result<Change<ConnectionSummary>>> {
    const record = this.repo.get(idOrName) ?? this.repo.findByName(idOrName);
    if (!record) return err('notFound', `No connection "${idOrName}".`);
    const newName = edit.name ?? record.name;
    const clash = this.repo.findByName(newName);
    if (clash && clash.id !== record.id) return err('conflict', `A connection named "${newName}" already exists.`);
    const current = record.secretRef ? await this.vault.get(record.secretRef) : null;
    // Its zod schemas load with the first edit, not with every command that composes the services.
    const { editedSettings } = await import('./connection-edit.ts');
    const settings = editedSettings(record.kind, record, edit, current);
    if (!settings.ok) return settings;
    const secretRef = edit.secret !== undefined ? (record.secretRef ?? `connection:${record.id}`) : record.secretRef;
    if (edit.secret !== undefined) await this.vault.set(secretRef!, edit.secret);
    this.repo.update(record.id, newName, settings.value, secretRef);
    const after = toSummary(this.repo.get(record.id)!);
    // The journal gets the settings and whether the secret changed, never the secret.
    return ok({
      value: after,
      before: { name: record.name, settings: record.settings },
      after: { name: after.name, settings: after.settings, ...(edit.secret !== undefined ? { secret: 'replaced' } : {}) },
    });
  }

  /** Puts a connection (and so its domains) under a customer, or under none with null. */
  setCustomer(idOrName: string, customer: string | null): Result<Change<ConnectionSummary>> {
    const record = this.repo.get(idOrName) ?? this.repo.findByName(idOrName);
    if (!record) return err('notFound', `No connection "${idOrName}".`);
    this.repo.setCustomer(record.id, customer);
    return ok({ value: toSummary(this.repo.get(record.id)!), before: { customer: record.customer ?? null }, after: { customer } });
  }

  /** What refers to a connection: plans, batches, DKIM keys, saved checks and its cached objects. */
  dependents(idOrName: string): Result<ConnectionDependents> {
    const record = this.repo.get(idOrName) ?? this.repo.findByName(idOrName);
    if (!record) return err('notFound', `No connection "${idOrName}".`);
    if (!this.dependentsRepo) return ok({ connectionId: record.id, name: record.name, plans: [], batches: [], dkimKeys: [], monitoredDomains: [], cachedDomains: 0, cachedMailboxes: 0, inUse: false });
    return ok(this.dependentsRepo.of(record.id, record.name));
  }

  private failed(id: string, error: AppError): Result<never> {
    this.repo.recordTest(id, this.clock.now().toISOString(), false, error.message);
    return { ok: false, error };
  }

  /** Removes a connection, its cached objects and its keychain secret; refused with the list of what uses it unless forced. */
  async remove(id: string, options: { force?: boolean } = {}): Promise<Result<ConnectionSummary>> {
    const record = this.repo.get(id) ?? this.repo.findByName(id);
    if (!record) return err('notFound', `No connection "${id}".`);
    const dependents = this.dependents(record.id);
    if (dependents.ok && dependents.value.inUse && options.force !== true) {
      return err('connection.inUse', `"${record.name}" is in use by: ${describeDependents(dependents.value).join('; ')}. Remove it anyway with --force.`, { detail: dependents.value });
    }
    await this.forget(record.id);
    return ok(toSummary(record));
  }

  private async forget(id: string): Promise<void> {
    const record = this.repo.get(id);
    if (!record) return;
    this.repo.remove(record.id);
    if (record.secretRef) await this.vault.delete(record.secretRef);
  }

  /** The password of a connection, for services that log in on the user's behalf (never for the renderer). */
  async secretOf(id: string): Promise<string | null> {
    const record = this.repo.get(id);
    return record?.secretRef ? this.vault.get(record.secretRef) : null;
  }
}

// A certificate the test refused: its fingerprint, so the user can compare it and pin it.
async function withFingerprint(error: AppError, settings: ImapSettings): Promise<AppError> {
  const fingerprint = await peerFingerprint(settings);
  if (!fingerprint) return error;
  const detail = { ...(typeof error.detail === 'object' && error.detail !== null ? error.detail : {}), fingerprint };
  return appError(error.code, `${error.message} It presented the certificate SHA-256 ${fingerprint}; if that is the server's, pin it (Connections › Edit, or --pin ${fingerprint}).`, { detail, retryable: error.retryable });
}
