import type { BackendAdapter } from '../adapter.ts';
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
  SpamThreshold,
} from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { HttpClient, type HttpLayerOptions } from '../http/http-client.ts';
import * as aliases from './mailcow-aliases.ts';
import * as capabilities from './mailcow-capabilities.ts';
import type { MailcowContext } from './mailcow-context.ts';
import * as dkim from './mailcow-dkim.ts';
import * as domains from './mailcow-domains.ts';
import * as forwarding from './mailcow-forwarding.ts';
import * as forwards from './mailcow-forwards.ts';
import * as groups from './mailcow-groups.ts';
import * as mailboxes from './mailcow-mailboxes.ts';
import * as security from './mailcow-security.ts';

export { bytesToMiB, classifyMailcowItems } from './mailcow-context.ts';

/** Connection settings for a mailcow-dockerized server; the API key travels separately as the secret. */
export interface MailcowSettings {
  /** e.g. "https://mail.example.com" (the API lives under /api/v1/). */
  readonly baseUrl: string;
}

/** BackendAdapter over mailcow's REST API (`X-API-Key`), data/web/api/openapi.yaml. */
export class MailcowAdapter implements BackendAdapter {
  readonly #ctx: MailcowContext;

  constructor(settings: MailcowSettings, apiKey: string, options: HttpLayerOptions = {}) {
    this.#ctx = {
      http: new HttpClient({
        ...options,
        baseUrl: new URL('/api/v1/', settings.baseUrl).href,
        where: 'mailcow',
        headers: async () => ({ 'x-api-key': apiKey }),
      }),
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

  getMailbox(address: string): Promise<Result<MailboxInfo | null>> {
    return mailboxes.getMailbox(this.#ctx, address);
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

  generateDkimKey(domain: string, selector: string): Promise<Result<DkimSigner>> {
    return dkim.generateDkimKey(this.#ctx, domain, selector);
  }

  listSpamThresholds(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string } & SpamThreshold>> {
    return security.listSpamThresholds(this.#ctx, domain, signal);
  }

  setSpamThreshold(address: string, threshold: SpamThreshold): Promise<Result<SpamThreshold>> {
    return security.setSpamThreshold(this.#ctx, address, threshold);
  }

  async close(): Promise<void> {}
}
