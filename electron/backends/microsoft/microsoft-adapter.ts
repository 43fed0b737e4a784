import type { BackendAdapter } from '../adapter.ts';
import type {
  AliasInfo,
  Capabilities,
  DomainInfo,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
  TenantSettings,
} from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import type { HttpLayerOptions } from '../http/http-client.ts';
import * as aliases from './microsoft-aliases.ts';
import * as capabilities from './microsoft-capabilities.ts';
import { createMicrosoftContext, type MicrosoftContext, type MicrosoftSettings } from './microsoft-context.ts';
import * as domains from './microsoft-domains.ts';
import * as forwarding from './microsoft-forwarding.ts';
import * as forwards from './microsoft-forwards.ts';
import * as groups from './microsoft-groups.ts';
import * as mailboxes from './microsoft-mailboxes.ts';
import * as policies from './microsoft-policies.ts';
import * as signIns from './microsoft-sign-ins.ts';

export type { MicrosoftSettings } from './microsoft-context.ts';

/** BackendAdapter over Microsoft Graph (app-only); Exchange-only operations answer needs-sidecar with the cmdlet. */
export class MicrosoftGraphAdapter implements BackendAdapter {
  readonly #ctx: MicrosoftContext;

  constructor(settings: MicrosoftSettings, clientSecret: string, options: HttpLayerOptions = {}) {
    this.#ctx = createMicrosoftContext(settings, clientSecret, options);
  }

  probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    return capabilities.probe(this.#ctx, signal);
  }

  listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    return domains.listDomains(this.#ctx, signal);
  }

  createDomain(name: string): Promise<Result<Outcome<DomainInfo>>> {
    return domains.createDomain(this.#ctx, name);
  }

  deleteDomain(name: string): Promise<Result<void>> {
    return domains.deleteDomain(this.#ctx, name);
  }

  listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    return mailboxes.listMailboxes(this.#ctx, domain, signal);
  }

  createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    return mailboxes.createMailbox(this.#ctx, input);
  }

  updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    return mailboxes.updateMailbox(this.#ctx, address, patch);
  }

  deleteMailbox(address: string): Promise<Result<void>> {
    return mailboxes.deleteMailbox(this.#ctx, address);
  }

  setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    return mailboxes.setPassword(this.#ctx, address, password, options.forceChange);
  }

  listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    return aliases.listAliases(this.#ctx, domain, signal);
  }

  upsertAlias(alias: { address: string; targets: readonly string[] }): Promise<Result<AliasInfo>> {
    return aliases.upsertAlias(alias);
  }

  deleteAlias(address: string): Promise<Result<void>> {
    return aliases.deleteAlias(this.#ctx, address);
  }

  listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    return groups.listGroups(this.#ctx, domain, signal);
  }

  upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    return groups.upsertGroup(this.#ctx, group);
  }

  deleteGroup(address: string): Promise<Result<void>> {
    return groups.deleteGroup(this.#ctx, address);
  }

  getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    return forwarding.getForwarding(this.#ctx, address);
  }

  setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    return forwarding.setForwarding(this.#ctx, address, targets, keepCopy);
  }

  listForwarding(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
    return forwards.listForwarding(this.#ctx, domain, signal);
  }

  listLastLogins(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string; readonly lastLoginAt: string | null }>> {
    return signIns.listLastLogins(this.#ctx, domain, signal);
  }

  readTenantSettings(signal?: AbortSignal): Promise<Result<TenantSettings>> {
    return policies.readTenantSettings(this.#ctx, signal);
  }

  updateTenantSettings(patch: TenantSettings): Promise<Result<TenantSettings>> {
    return policies.updateTenantSettings(this.#ctx, patch);
  }

  async close(): Promise<void> {}
}
