import type { BackendAdapter, DkimKeyToInstall } from '../adapter.ts';
import type {
  AliasInfo,
  Capabilities,
  DkimSigner,
  DomainInfo,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
} from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { HttpClient, type HttpLayerOptions } from '../http/http-client.ts';
import { JmapClient } from './jmap-client.ts';
import * as aliases from './stalwart-aliases.ts';
import * as capabilities from './stalwart-capabilities.ts';
import type { StalwartContext } from './stalwart-context.ts';
import * as dkim from './stalwart-dkim.ts';
import * as domains from './stalwart-domains.ts';
import * as forwarding from './stalwart-forwarding.ts';
import * as forwards from './stalwart-forwards.ts';
import * as groups from './stalwart-groups.ts';
import * as mailboxes from './stalwart-mailboxes.ts';

export { forwardingScript } from './stalwart-forwarding.ts';

/** Connection settings for Stalwart 0.16+; the secret is the admin password (Basic) or a bearer token. */
export interface StalwartSettings {
  readonly baseUrl: string;
  /** Admin login for HTTP Basic; omit to send the secret as a Bearer token. */
  readonly username?: string;
  readonly pageSize?: number;
}

/** BackendAdapter over Stalwart 0.16's JMAP management API (`urn:stalwart:jmap`, `x:<Object>/<method>`). */
export class StalwartAdapter implements BackendAdapter {
  readonly #ctx: StalwartContext;

  constructor(settings: StalwartSettings, secret: string, options: HttpLayerOptions = {}) {
    const authorization = settings.username === undefined ? `Bearer ${secret}` : `Basic ${Buffer.from(`${settings.username}:${secret}`).toString('base64')}`;
    this.#ctx = {
      jmap: new JmapClient(new HttpClient({ ...options, baseUrl: settings.baseUrl, where: 'Stalwart', headers: async () => ({ authorization }) })),
      pageSize: settings.pageSize ?? 250,
      domains: null,
    };
  }

  probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    return capabilities.probe(this.#ctx, signal);
  }

  listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    return domains.listDomains(this.#ctx, signal);
  }

  createDomain(name: string, options: { description?: string } = {}): Promise<Result<Outcome<DomainInfo>>> {
    return domains.createDomain(this.#ctx, name, options);
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

  listDkimKeys(domain: string): Promise<Result<DkimSigner[]>> {
    return dkim.listDkimKeys(this.#ctx, domain);
  }

  installDkimKey(key: DkimKeyToInstall): Promise<Result<DkimSigner>> {
    return dkim.installDkimKey(this.#ctx, key);
  }

  async close(): Promise<void> {}
}
