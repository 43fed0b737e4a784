import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { BackendAdapter, PlannedWrite } from '../backends/adapter.ts';
import type { InventoryRepo, InventorySnapshot } from '../db/inventory-repo.ts';
import type { Clock } from '../platform/clock.ts';
import type { CapabilitiesRepo } from '../db/capabilities-repo.ts';
import type { ConnectionTestReport } from '../../shared/domain/connection.ts';
import type { NewDomain, RefreshReport } from '../../shared/domain/inventory.ts';
import type { AliasInfo, Capabilities, DomainInfo, DomainPatch, ForwardingInfo, GroupInfo, MailboxInfo, MailboxPatch, NewMailbox, Outcome, SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';
import { err, ok, type AppError, type Result } from '../../shared/errors/result.ts';
import type { Change } from '../audit/audit-recorder.ts';
import { capabilityEntries, checkedCapabilities, isCompleteMatrix } from '../backends/capability-registry.ts';
import type { AdapterFactories } from './adapter-factories.ts';
import { imapOnlyCapabilities } from '../backends/imap/imap-capabilities.ts';
import { AddressWrites } from './address-writes.ts';
import { DomainWrites } from './domain-writes.ts';
import { MailboxWrites } from './mailbox-writes.ts';
import { readSecurityFacts } from './security-facts.ts';
import { SecurityWrites } from './security-writes.ts';
import type { WriteSpec } from './provisioning-write.ts';

async function collect<T>(items: AsyncIterable<Result<T>>): Promise<Result<T[]>> {
  const out: T[] = [];
  for await (const item of items) {
    if (!item.ok) return item;
    out.push(item.value);
  }
  return ok(out);
}

/**
 * Runs provisioning on the right adapter for a connection and keeps the SQLite cache in step: a
 * refresh reads a connection (or one domain) whole; a write updates only the objects it changed.
 */
export class ProvisioningService {
  private readonly connections: ConnectionsService;
  private readonly inventory: InventoryRepo;
  private readonly factories: AdapterFactories;
  private readonly clock: Clock;
  private readonly operator: string;
  private readonly probed: CapabilitiesRepo | null;
  private readonly open = new Map<string, Promise<Result<BackendAdapter>>>();
  private readonly domains: DomainWrites;
  private readonly mailboxes: MailboxWrites;
  private readonly addresses: AddressWrites;
  private readonly security: SecurityWrites;

  constructor(deps: { connections: ConnectionsService; inventory: InventoryRepo; factories: AdapterFactories; clock: Clock; operator: string; capabilities?: CapabilitiesRepo }) {
    this.probed = deps.capabilities ?? null;
    this.connections = deps.connections;
    this.inventory = deps.inventory;
    this.factories = deps.factories;
    this.clock = deps.clock;
    this.operator = deps.operator;
    const write = <T>(idOrName: string, spec: WriteSpec<T>): Promise<Result<Change<T>>> => this.write(idOrName, spec);
    this.domains = new DomainWrites(write, deps.inventory);
    this.mailboxes = new MailboxWrites(write, deps.inventory);
    this.addresses = new AddressWrites(write, deps.inventory);
    this.security = new SecurityWrites(write, deps.inventory);
  }

  /** The adapter of a connection (by id or name), opened once and reused. */
  async adapter(idOrName: string): Promise<Result<{ id: string; adapter: BackendAdapter }>> {
    const connection = this.connections.find(idOrName);
    if (!connection) return err('notFound', `No connection "${idOrName}".`);
    const factory = this.factories[connection.kind];
    if (!factory) return err('backend.unsupported', `Provisioning ${connection.kind} connections is not available in this build.`);
    let pending = this.open.get(connection.id);
    if (!pending) {
      pending = this.connections.secretOf(connection.id).then((secret) => factory(connection, secret, this.operator));
      this.open.set(connection.id, pending);
    }
    const opened = await pending;
    if (!opened.ok) this.open.delete(connection.id);
    return opened.ok ? ok({ id: connection.id, adapter: opened.value }) : opened;
  }

  /** Probes the platform behind a connection, caches its capabilities and records the test outcome. */
  async probe(idOrName: string, signal?: AbortSignal): Promise<Result<ConnectionTestReport>> {
    const started = performance.now();
    const connection = this.connections.find(idOrName);
    if (!connection) return err('notFound', `No connection "${idOrName}".`);
    const opened = await this.adapter(connection.id);
    const probed = opened.ok ? await opened.value.adapter.probe(signal) : opened;
    if (!probed.ok) {
      this.connections.recordTest(connection.id, false, probed.error.message);
      return probed;
    }
    // A claim stands only where the adapter has the code behind it.
    const caps = checkedCapabilities(probed.value, opened.ok ? opened.value.adapter : {});
    this.probed?.put(connection.id, this.clock.now().toISOString(), caps);
    const flags = flatten(caps);
    const native = flags.filter((f) => f.endsWith(':native')).length;
    this.connections.recordTest(connection.id, true, `${caps.kind}${caps.version ? ` ${caps.version}` : ''}: ${native} of ${flags.length} operations native`);
    return ok({
      capabilities: flags,
      folderCount: 0,
      latencyMs: Math.round(performance.now() - started),
      tls: null,
      serverId: { kind: caps.kind, ...(caps.version ? { version: caps.version } : {}) },
      platform: caps,
    });
  }

  /** The capabilities of a connection as last probed; probes when never probed or cached by a build that knew fewer flags. */
  async capabilities(idOrName: string, signal?: AbortSignal): Promise<Result<Capabilities>> {
    const connection = this.connections.find(idOrName);
    if (!connection) return err('notFound', `No connection "${idOrName}".`);
    if (connection.kind === 'imap') return ok(imapOnlyCapabilities);
    const cached = this.probed?.get(connection.id);
    if (cached && isCompleteMatrix(cached)) return ok(cached);
    const report = await this.probe(connection.id, signal);
    return report.ok ? ok(report.value.platform!) : report;
  }

  /** Pulls domains, mailboxes, aliases, groups and forwarding into the cache; on failure marks the rows stale. */
  async refresh(idOrName: string, domain: string | null = null, signal?: AbortSignal): Promise<Result<RefreshReport>> {
    const started = performance.now();
    const opened = await this.adapter(idOrName);
    if (!opened.ok) return opened;
    const { id, adapter } = opened.value;
    const at = this.clock.now().toISOString();
    const snapshot = await this.read(adapter, domain, signal);
    if (!snapshot.ok) {
      this.inventory.markStale(id, at, snapshot.error, domain);
      return snapshot;
    }
    const durationMs = Math.round(performance.now() - started);
    this.inventory.replace(id, snapshot.value, at, domain, domain === null ? durationMs : null);
    const s = snapshot.value;
    return ok({ connectionId: id, domains: s.domains.length, mailboxes: s.mailboxes.length, aliases: s.aliases.length, groups: s.groups.length, durationMs, refreshedAt: at });
  }

  private async read(adapter: BackendAdapter, domain: string | null, signal?: AbortSignal): Promise<Result<InventorySnapshot>> {
    const domains = await collect(adapter.listDomains(signal));
    if (!domains.ok) return domains;
    const scoped = domain === null ? domains.value : domains.value.filter((d) => d.name === domain);
    const mailboxes = await collect(adapter.listMailboxes(domain, signal));
    if (!mailboxes.ok) return mailboxes;
    const aliases = await collect(adapter.listAliases(domain, signal));
    if (!aliases.ok) return aliases;
    const groups = await collect(adapter.listGroups(domain, signal));
    if (!groups.ok) return groups;
    const forwarding = adapter.listForwarding ? await collect(adapter.listForwarding(domain, signal)) : ok<ForwardingInfo[]>([]);
    if (!forwarding.ok) return forwarding;
    const security = await readSecurityFacts(adapter, domain, mailboxes.value, signal);
    return ok({ domains: scoped, mailboxes: security.mailboxes, aliases: aliases.value, groups: groups.value, forwarding: forwarding.value, ...(security.tenant ? { tenant: security.tenant } : {}) });
  }

  /** Asks the platform whether planned writes pass its own limits, reading only; null verdicts where it has no such check. */
  async checkWrites(idOrName: string, writes: readonly PlannedWrite[]): Promise<Result<readonly (AppError | null)[]>> {
    const opened = await this.adapter(idOrName);
    if (!opened.ok) return opened;
    const { adapter } = opened.value;
    return adapter.checkWrites ? adapter.checkWrites(writes) : ok(writes.map(() => null));
  }

  /** Creates a domain, or with `aliasOf` an alias domain. */
  createDomain(idOrName: string, input: NewDomain): Promise<Result<Change<Outcome<DomainInfo>>>> {
    return this.domains.create(idOrName, input);
  }

  /** Changes a domain's description, state or limits. */
  updateDomain(idOrName: string, name: string, patch: DomainPatch): Promise<Result<Change<DomainInfo>>> {
    return this.domains.update(idOrName, name, patch);
  }

  /** Deletes a domain. */
  removeDomain(idOrName: string, name: string): Promise<Result<Change<{ readonly name: string }>>> {
    return this.domains.remove(idOrName, name);
  }

  /** Creates a mailbox. */
  createMailbox(idOrName: string, input: NewMailbox): Promise<Result<Change<Outcome<MailboxInfo>>>> {
    return this.mailboxes.create(idOrName, input);
  }

  /** Changes a mailbox's name, quota or state. */
  updateMailbox(idOrName: string, address: string, patch: MailboxPatch): Promise<Result<Change<MailboxInfo>>> {
    return this.mailboxes.update(idOrName, address, patch);
  }

  /** Deletes a mailbox. */
  removeMailbox(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.mailboxes.remove(idOrName, address);
  }

  /** Sets a mailbox's password. */
  setPassword(idOrName: string, address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<Change<{ readonly address: string }>>> {
    return this.mailboxes.setPassword(idOrName, address, password, options);
  }

  /** Sets or turns off a mailbox's forwarding. */
  setForwarding(idOrName: string, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Change<Outcome<ForwardingInfo>>>> {
    return this.mailboxes.setForwarding(idOrName, address, targets, keepCopy);
  }

  /** Sets a mailbox's spam thresholds (mailcow). */
  setSpamThreshold(idOrName: string, address: string, threshold: SpamThreshold): Promise<Result<Change<SpamThreshold>>> {
    return this.security.setSpamThreshold(idOrName, address, threshold);
  }

  /** Changes tenant-wide security settings (Microsoft security defaults). */
  setTenantSettings(idOrName: string, patch: TenantSettings): Promise<Result<Change<TenantSettings>>> {
    return this.security.setTenantSettings(idOrName, patch);
  }

  /** Creates or replaces an alias or catch-all. */
  upsertAlias(idOrName: string, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<Change<AliasInfo>>> {
    return this.addresses.upsertAlias(idOrName, alias);
  }

  /** Deletes an alias or catch-all. */
  removeAlias(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.addresses.removeAlias(idOrName, address);
  }

  /** Creates or replaces a group. */
  upsertGroup(idOrName: string, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<Change<GroupInfo>>> {
    return this.addresses.upsertGroup(idOrName, group);
  }

  /** Deletes a group. */
  removeGroup(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.addresses.removeGroup(idOrName, address);
  }

  // One change: the journal's "before", the work, then only the changed objects into the cache
  // (a failed read-back marks the domain's rows stale; the change itself stands).
  private async write<T>(idOrName: string, spec: WriteSpec<T>): Promise<Result<Change<T>>> {
    const opened = await this.adapter(idOrName);
    if (!opened.ok) return opened;
    const { id, adapter } = opened.value;
    const before = spec.before ? await spec.before(adapter) : null;
    const result = await spec.work(adapter);
    if (!result.ok) return result;
    const at = this.clock.now().toISOString();
    const synced = await spec.sync(result.value, { id, adapter, at });
    if (!synced.ok) this.inventory.markStale(id, at, synced.error, spec.domain);
    return ok({ value: result.value, before, after: spec.after ? spec.after(result.value) : result.value });
  }

  /** Closes and forgets the adapter of a removed (or re-keyed) connection. */
  async forget(id: string): Promise<void> {
    const pending = this.open.get(id);
    this.open.delete(id);
    const opened = await pending;
    if (opened?.ok) await opened.value.close();
  }

  /** Closes every open adapter. */
  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const pending of all) {
      const opened = await pending;
      if (opened.ok) await opened.value.close();
    }
  }
}

/** "mailbox.create:native"-style flags of every operation, for the test report. */
function flatten(caps: Capabilities): string[] {
  return capabilityEntries(caps).map(([key, support]) => `${key}:${support.level}`);
}
