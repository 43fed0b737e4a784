import type { AliasInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import * as exo from './exchange-cmdlets.ts';
import { domainOf, sidecar, type MicrosoftContext } from './microsoft-context.ts';
import { users } from './microsoft-mailboxes.ts';

/** Iterates the secondary SMTP addresses of every user, keeping those in `domain` when it is not null. */
export async function* listAliases(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
  for await (const u of users(ctx, null, signal)) {
    if (!u.ok) {
      yield u;
      return;
    }
    const primary = (u.value.mail ?? '').toLowerCase();
    // proxyAddresses: "SMTP:" is the primary, lower-case "smtp:" the secondary addresses (read-only in Graph).
    for (const proxy of u.value.proxyAddresses ?? []) {
      if (!proxy.startsWith('smtp:')) continue;
      const address = proxy.slice(5).toLowerCase();
      if (domain === null || domainOf(address) === domain) yield ok({ address, domain: domainOf(address), targets: [primary], active: true });
    }
  }
}

/** Answers needs-sidecar with the cmdlet that adds the address (proxyAddresses is read-only in Graph). */
export async function upsertAlias(alias: { address: string; targets: readonly string[] }): Promise<Result<AliasInfo>> {
  return sidecar('adding an address (proxyAddresses is read-only in Graph)', exo.setMailboxAddresses(alias.targets[0] ?? '<mailbox>', [alias.address]));
}

/** Answers needs-sidecar with the cmdlet that removes the address from the mailbox that holds it. */
export async function deleteAlias(ctx: MicrosoftContext, address: string): Promise<Result<void>> {
  let owner = '<mailbox>';
  for await (const a of listAliases(ctx, domainOf(address))) if (a.ok && a.value.address === address.toLowerCase()) owner = a.value.targets[0] ?? owner;
  return sidecar('removing an address', exo.setMailboxAddresses(owner, [], [address]));
}
