import type { BackendAdapter } from '../adapter.ts';
import type { ImapSettings } from '../../../shared/domain/connection.ts';
import type { AliasInfo, Capabilities, DomainInfo, ForwardingInfo, GroupInfo, MailboxInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { imapOnlyCapabilities } from './imap-capabilities.ts';
import { readSieveForwarding } from './imap-sieve-forwards.ts';

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The adapter of an IMAP-only connection (a Postfix/Dovecot box without PostfixAdmin, or any IMAP account): one
 * account, which a refresh records with its domain, and that account's forwards read from its active Sieve
 * script over ManageSieve. Everything else is done on the server itself.
 */
export class ImapOnlyAdapter implements BackendAdapter {
  readonly #settings: ImapSettings;
  readonly #password: string;
  readonly #address: string | null;

  constructor(settings: ImapSettings, password: string) {
    this.#settings = settings;
    this.#password = password;
    // A login that is no address (e.g. "ana") names no mailbox the routing graph could place.
    this.#address = /^[^@\s]+@[^@\s]+$/.test(settings.user) ? settings.user.toLowerCase() : null;
  }

  probe(): Promise<Result<Capabilities>> {
    return Promise.resolve(ok(imapOnlyCapabilities));
  }

  async *listDomains(): AsyncIterable<Result<DomainInfo>> {
    if (this.#address) yield ok({ name: domainOf(this.#address), description: null, active: true, mailboxCount: null, quotaBytes: null, usedBytes: null });
  }

  async *listMailboxes(domain: string | null): AsyncIterable<Result<MailboxInfo>> {
    if (!this.#address || (domain !== null && domain !== domainOf(this.#address))) return;
    yield ok({ address: this.#address, domain: domainOf(this.#address), displayName: null, active: true, quotaBytes: null, usedBytes: null, messageCount: null });
  }

  async *listAliases(): AsyncIterable<Result<AliasInfo>> {
    // An IMAP account sees no aliases.
  }

  async *listGroups(): AsyncIterable<Result<GroupInfo>> {
    // An IMAP account sees no groups.
  }

  async *listForwarding(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
    if (!this.#address) {
      yield err('backend.unsupported', `The login "${this.#settings.user}" is no address, so its Sieve forwards have no mailbox to start from; read them on the server (doveadm sieve get -u ${this.#settings.user}).`);
      return;
    }
    if (domain !== null && domain !== domainOf(this.#address)) return;
    const read = await readSieveForwarding(this.#settings, this.#password, signal);
    if (!read.ok) yield read;
    else if (read.value) yield ok({ ...read.value, address: this.#address });
  }

  async getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    if (address.toLowerCase() !== this.#address) return err('backend.unsupported', `An IMAP-only connection reads only its own account (${this.#settings.user}).`);
    const read = await readSieveForwarding(this.#settings, this.#password);
    if (!read.ok) return read;
    return ok(read.value ?? { address, targets: [], keepCopy: true, state: 'off' });
  }

  createDomain(): Promise<Result<Outcome<DomainInfo>>> {
    return this.#manual();
  }

  deleteDomain(): Promise<Result<void>> {
    return this.#manual();
  }

  createMailbox(): Promise<Result<Outcome<MailboxInfo>>> {
    return this.#manual();
  }

  updateMailbox(): Promise<Result<MailboxInfo>> {
    return this.#manual();
  }

  deleteMailbox(): Promise<Result<void>> {
    return this.#manual();
  }

  setPassword(): Promise<Result<void>> {
    return this.#manual();
  }

  upsertAlias(): Promise<Result<AliasInfo>> {
    return this.#manual();
  }

  deleteAlias(): Promise<Result<void>> {
    return this.#manual();
  }

  upsertGroup(): Promise<Result<GroupInfo>> {
    return this.#manual();
  }

  deleteGroup(): Promise<Result<void>> {
    return this.#manual();
  }

  setForwarding(): Promise<Result<Outcome<ForwardingInfo>>> {
    return this.#manual();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #manual<T>(): Promise<Result<T>> {
    return Promise.resolve(err('backend.unsupported', 'An IMAP-only connection reads mail, usage and its Sieve forwards; provision on the server itself.'));
  }
}
