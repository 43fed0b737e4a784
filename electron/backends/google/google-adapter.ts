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
} from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import type { HttpLayerOptions } from '../http/http-client.ts';
import * as aliases from './google-aliases.ts';
import * as capabilities from './google-capabilities.ts';
import { createGoogleContext, type GoogleContext, type GoogleSettings } from './google-context.ts';
import * as domains from './google-domains.ts';
import * as forwarding from './google-forwarding.ts';
import * as forwards from './google-forwards.ts';
import * as groups from './google-groups.ts';
import * as mailboxes from './google-mailboxes.ts';

export type { GoogleSettings } from './google-context.ts';

/** BackendAdapter over the Admin SDK Directory, Gmail settings and Reports APIs with a DWD service account. */
export class GoogleWorkspaceAdapter implements BackendAdapter {
  readonly #ctx: GoogleContext;

  constructor(settings: GoogleSettings, serviceAccountJson: string, options: HttpLayerOptions = {}) {
    this.#ctx = createGoogleContext(settings, serviceAccountJson, options);
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

  createAliasDomain(alias: string, target: string): Promise<Result<DomainInfo>> {
    return domains.createAliasDomain(this.#ctx, alias, target);
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

  upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
    return aliases.upsertAlias(this.#ctx, alias);
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

  async close(): Promise<void> {}
}
