import type { DkimSigner } from '../../shared/domain/provisioning.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { BackendAdapter } from '../backends/adapter.ts';
import { dkimPublicValue, dkimVaultAccount } from '../dns/dkim-keys.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';

/** Opens the adapter of a connection (the provisioning service's `adapter`). */
type OpenAdapter = (idOrName: string) => Promise<Result<{ id: string; adapter: BackendAdapter }>>;

/** The DKIM key of one domain and selector on one connection. */
export interface DkimTarget {
  readonly domain: string;
  readonly selector: string;
}

/**
 * Which keys sign a domain's mail on its platform, and getting a key there: a key Mailroom generated
 * goes from the keychain to the platform (never into results, logs or the journal), or the platform
 * generates its own. Each answer marks the keys whose private half is in this Mailroom's keychain.
 */
export class DkimSigning {
  private readonly open: OpenAdapter;
  private readonly vault: CredentialVault;

  constructor(deps: { open: OpenAdapter; vault: CredentialVault }) {
    this.open = deps.open;
    this.vault = deps.vault;
  }

  /** The keys the platform signs `domain`'s mail with, each marked when the keychain holds its private key. */
  async signers(idOrName: string, domain: string): Promise<Result<DkimSigner[]>> {
    const opened = await this.open(idOrName);
    if (!opened.ok) return opened;
    const { adapter } = opened.value;
    if (!adapter.listDkimKeys) return err('backend.unsupported', 'This platform does not tell Mailroom which DKIM keys it signs with.');
    const keys = await adapter.listDkimKeys(domain.toLowerCase());
    if (!keys.ok) return keys;
    return ok(await Promise.all(keys.value.map((k) => this.marked(k))));
  }

  /** Installs the keychain's key for `domain` / `selector` on the platform, which then signs with it. */
  async install(idOrName: string, target: DkimTarget): Promise<Result<Change<DkimSigner>>> {
    const opened = await this.open(idOrName);
    if (!opened.ok) return opened;
    const { adapter } = opened.value;
    if (!adapter.installDkimKey) return err('backend.unsupported', 'This platform does not take a DKIM key from Mailroom; export it for your own signer (mailroom dkim export).');
    const domain = target.domain.toLowerCase();
    const pem = await this.vault.get(dkimVaultAccount(domain, target.selector));
    if (!pem) return err('notFound', `No DKIM key ${target.selector} for ${domain} in the keychain: generate it first (mailroom dkim generate, or the Deliverability page).`);
    const before = await this.before(adapter, domain, target.selector);
    const installed = await adapter.installDkimKey({ domain, selector: target.selector, privateKeyPem: pem });
    if (!installed.ok) return installed;
    const value = { ...installed.value, fromKeychain: true };
    return ok({ value, before, after: value });
  }

  /** Has the platform generate a key of its own for `domain` and sign with it (its private key never leaves the platform). */
  async generate(idOrName: string, target: DkimTarget): Promise<Result<Change<DkimSigner>>> {
    const opened = await this.open(idOrName);
    if (!opened.ok) return opened;
    const { adapter } = opened.value;
    if (!adapter.generateDkimKey) return err('backend.unsupported', 'This platform does not generate DKIM keys through Mailroom; generate one in Mailroom and install or export it.');
    const domain = target.domain.toLowerCase();
    const before = await this.before(adapter, domain, target.selector);
    const made = await adapter.generateDkimKey(domain, target.selector);
    if (!made.ok) return made;
    return ok({ value: made.value, before, after: made.value });
  }

  // The journal's "before": what signed with this selector, when the platform says.
  private async before(adapter: BackendAdapter, domain: string, selector: string): Promise<DkimSigner | null> {
    const keys = adapter.listDkimKeys ? await adapter.listDkimKeys(domain) : null;
    return keys?.ok ? (keys.value.find((k) => k.selector === selector) ?? null) : null;
  }

  private async marked(key: DkimSigner): Promise<DkimSigner> {
    const pem = await this.vault.get(dkimVaultAccount(key.domain, key.selector)).catch(() => null);
    let fromKeychain = false;
    try {
      fromKeychain = pem !== null && key.publicKey !== null && dkimPublicValue(pem) === key.publicKey;
    } catch {
      // A keychain entry that is not a key marks nothing.
    }
    return { ...key, fromKeychain };
  }
}
