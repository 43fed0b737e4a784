import type { Capabilities, Support } from '../../shared/domain/provisioning.ts';
import type { BackendAdapter } from './adapter.ts';

type Group = Exclude<keyof Capabilities, 'kind' | 'version'>;
type KeysOf<G extends Group> = { [O in keyof Capabilities[G]]: Capabilities[G][O] extends Support ? `${G}.${O & string}` : never }[keyof Capabilities[G]];

/** Every operation flag of the capability matrix, as "group.operation" (e.g. "domain.alias"). */
export type CapabilityKey = { [G in Group]: KeysOf<G> }[Group];

/** An adapter method that can stand behind a capability. */
export type AdapterMethod = Exclude<keyof BackendAdapter, 'probe' | 'close'>;

/**
 * The adapter methods each flag needs. A `native` or `emulated` claim is only as true as these methods:
 * `checkedCapabilities` turns a claim whose adapter lacks one into `unsupported`, and the matrix test
 * (test/unit/electron/backends/capability-matrix.test.ts) also wants a named test that exercises it.
 * Typed over `Capabilities`, so a new flag without an entry does not compile.
 */
export const CAPABILITY_METHODS: { readonly [K in CapabilityKey]: readonly AdapterMethod[] } = {
  'domain.list': ['listDomains'],
  'domain.create': ['createDomain'],
  'domain.remove': ['deleteDomain'],
  'domain.alias': ['createAliasDomain'],
  'mailbox.list': ['listMailboxes'],
  'mailbox.create': ['createMailbox'],
  'mailbox.update': ['updateMailbox'],
  'mailbox.remove': ['deleteMailbox'],
  'mailbox.suspend': ['updateMailbox'],
  'mailbox.setPassword': ['setPassword'],
  'mailbox.forcePasswordChange': ['setPassword', 'createMailbox'],
  'alias.manage': ['listAliases', 'upsertAlias', 'deleteAlias'],
  'alias.catchAll': ['upsertAlias', 'deleteAlias'],
  'group.manage': ['listGroups', 'upsertGroup', 'deleteGroup'],
  'forward.set': ['setForwarding', 'getForwarding'],
  'forward.read': ['listForwarding'],
  'quota.set': ['updateMailbox'],
  'usage.read': ['listMailboxes'],
  'dkim.generate': ['generateDkimKey', 'listDkimKeys'],
  'dkim.install': ['installDkimKey', 'listDkimKeys'],
  'security.lastLogin': ['listMailboxes'],
  'security.twoStepEnforcement': ['listMailboxes'],
  'security.securityDefaults': ['readTenantSettings', 'updateTenantSettings'],
  'security.spamThreshold': ['listSpamThresholds', 'setSpamThreshold'],
};

/** Every flag, in the matrix's order. */
export const CAPABILITY_KEYS = Object.keys(CAPABILITY_METHODS) as CapabilityKey[];

/** The support a matrix gives one flag. */
export function supportOf(caps: Capabilities, key: CapabilityKey): Support {
  const [group, op] = key.split('.') as [Group, string];
  return (caps[group] as unknown as Record<string, Support>)[op]!;
}

/** The flags of a matrix with their support, in CAPABILITY_KEYS order. */
export function capabilityEntries(caps: Capabilities): [CapabilityKey, Support][] {
  return CAPABILITY_KEYS.map((key) => [key, supportOf(caps, key)]);
}

/** True when a stored matrix has every flag this build knows (one cached by an older build may not). */
export function isCompleteMatrix(caps: Capabilities): boolean {
  return CAPABILITY_KEYS.every((key) => {
    const [group, op] = key.split('.') as [Group, string];
    const support = (caps[group] as unknown as Record<string, Support | undefined> | undefined)?.[op];
    return typeof support?.level === 'string';
  });
}

/** The adapter methods a flag needs that `adapter` does not have. */
export function missingMethods(adapter: object, key: CapabilityKey): AdapterMethod[] {
  return CAPABILITY_METHODS[key].filter((m) => typeof (adapter as Record<string, unknown>)[m] !== 'function');
}

/** The matrix with every `native` / `emulated` claim the adapter has no code for turned into `unsupported`. */
export function checkedCapabilities(caps: Capabilities, adapter: object): Capabilities {
  const out = structuredClone(caps) as unknown as Record<string, Record<string, Support>>;
  for (const [key, support] of capabilityEntries(caps)) {
    if (support.level !== 'native' && support.level !== 'emulated') continue;
    const missing = missingMethods(adapter, key);
    if (missing.length === 0) continue;
    const [group, op] = key.split('.') as [string, string];
    out[group]![op] = { level: 'unsupported', manual: `Mailroom has no ${missing.join(', ')} for ${caps.kind}; do this in the platform's own console.` };
  }
  return out as unknown as Capabilities;
}
