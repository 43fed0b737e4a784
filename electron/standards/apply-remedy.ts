import type { Api } from '../../shared/ipc/contract.ts';
import { err, type Result } from '../../shared/errors/result.ts';
import type { Remedy } from './remediation.ts';

/** The router-bound operations a platform remedy calls (each one journaled like the console's). */
export type RemedyApi = { readonly mailboxes: Pick<Api['mailboxes'], 'setForwarding' | 'setSpamThreshold'>; readonly aliases: Pick<Api['aliases'], 'upsert' | 'remove'>; readonly connections: Pick<Api['connections'], 'setTenantSettings'> };

/** Makes one adapter remedy through the router; the answer is what the platform read back (or why it refused). */
export async function applyRemedy(api: RemedyApi, remedy: Remedy & { kind: 'adapter' }): Promise<Result<unknown>> {
  const { connectionId: id, address } = remedy;
  switch (remedy.action) {
    case 'alias.remove':
      return api.aliases.remove(id, address);
    case 'alias.set':
      return api.aliases.upsert(id, { address, targets: remedy.targets ?? [] });
    case 'forward.clear':
      return api.mailboxes.setForwarding(id, address, [], false);
    case 'forward.set':
      return api.mailboxes.setForwarding(id, address, remedy.targets ?? [], remedy.keepCopy ?? true);
    case 'spam-threshold.set':
      return remedy.threshold ? api.mailboxes.setSpamThreshold(id, address, remedy.threshold) : err('input.invalid', `No spam thresholds to set on ${address}.`);
    case 'tenant.set':
      return api.connections.setTenantSettings(id, remedy.settings ?? {});
  }
}
