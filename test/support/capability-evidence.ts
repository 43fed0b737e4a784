import type { CapabilityKey } from '../../electron/backends/capability-registry.ts';
import type { BackendKind } from '../../shared/domain/provisioning.ts';

/** A named test (file relative to the repository root, and its `it(...)` title) that exercises one claim. */
export interface Evidence {
  readonly file: string;
  readonly test: string;
}

/** What a test's body must do to exercise a flag: call the method, with the argument that makes it this flag. */
export const EXERCISE: { readonly [K in CapabilityKey]: RegExp } = {
  'domain.list': /\.listDomains\(/,
  'domain.create': /\.createDomain\(/,
  'domain.remove': /\.deleteDomain\(/,
  'domain.alias': /\.createAliasDomain\(/,
  'mailbox.list': /\.listMailboxes\(/,
  'mailbox.create': /\.createMailbox\(/,
  'mailbox.update': /\.updateMailbox\(/,
  'mailbox.remove': /\.deleteMailbox\(/,
  'mailbox.suspend': /\.updateMailbox\([^\n]*active: false/,
  'mailbox.setPassword': /\.setPassword\(/,
  'mailbox.forcePasswordChange': /forceChange(AtFirstLogin)?: true/,
  'alias.manage': /\.upsertAlias\(/,
  'alias.catchAll': /\.upsertAlias\(\{ address: '\*?@/,
  'group.manage': /\.upsertGroup\(/,
  'forward.set': /\.setForwarding\(/,
  'forward.read': /\.listForwarding\(/,
  'quota.set': /\.updateMailbox\([^\n]*quotaBytes/,
  'usage.read': /usedBytes/,
  'dkim.generate': /\.generateDkimKey\(/,
  'dkim.install': /\.installDkimKey\(/,
  'security.lastLogin': /lastLoginAt/,
  'security.twoStepEnforcement': /twoStepEnforced/,
  'security.securityDefaults': /\.updateTenantSettings\(/,
  'security.spamThreshold': /\.setSpamThreshold\(/,
};

const MC = 'test/integration/backends/mailcow.test.ts';
const ST = 'test/integration/backends/stalwart.test.ts';
const GW = 'test/integration/backends/google.test.ts';
const MS = 'test/integration/backends/microsoft.test.ts';
const PFA = 'test/integration/provisioning/support/pfa-suite.ts';
const PFA_OWN = 'test/integration/provisioning/pfa-dkim.test.ts';
const FW = 'test/integration/backends/forwards.test.ts';
const PFA_REAL = 'test/integration/postfixadmin/support/interop-suite.ts';
const e = (file: string, test: string): Evidence => ({ file, test });

const mc = {
  domains: e(MC, 'creates and deletes domains and alias domains (add/alias-domain), listed under their target'),
  mailboxes: e(MC, 'creates, lists (no paging: one answer), updates and deletes mailboxes with quotas in bytes'),
  aliases: e(MC, 'manages aliases, the catch-all and group members; refuses forwarding, which the alias API cannot do'),
  security: e(MC, 'reads last logins from sasl_log fields and sets spam thresholds through edit/spam-score, read back per mailbox'),
};
const st = {
  domains: e(ST, 'creates and deletes domains, makes alias domains (Domain.aliases) and refuses to delete a domain in use'),
  mailboxes: e(ST, 'pages accounts by JMAP position and manages mailboxes with byte quotas'),
  aliases: e(ST, 'manages aliases, catch-all, mailing-list members and Sieve forwarding'),
};
const gw = {
  users: e(GW, 'creates, updates, suspends and deletes a user; a new domain is pending DNS verification'),
  domains: e(GW, 'adds an alias domain under its parent (domainAliases), unverified until DNS, and deletes a domain'),
  list: e(GW, 'lists users across pageToken pages with Reports usage in bytes'),
  security: e(GW, 'reads the last login of each user (the epoch meaning never) and 2-Step Verification enforcement from Directory'),
};
const ms = {
  users: e(MS, 'creates a mailbox as pending until Exchange provisions it, and pending licence when no seat is free'),
  domains: e(MS, 'creates a domain pending DNS verification, lists it and deletes it; alias domains are not a Graph object'),
};
const pfa = {
  domains: e(PFA_OWN, 'creates, lists and deletes domains'),
  listing: e(PFA_OWN, 'lists mailboxes per domain and manages a group as a multi-target alias'),
  login: e(PFA, 'creates a mailbox whose password Dovecot accepts over IMAP'),
  routing: e(PFA, 'routes an alias, a forward with keep-a-copy, the catch-all and an alias domain through Postfix'),
};

/**
 * For every platform, the test that exercises each flag it may claim `native` or `emulated`. The matrix test
 * (test/unit/electron/backends/capability-matrix.test.ts) fails on a claim without an entry here, on an entry
 * whose test does not exist, and on a test whose body does not do what EXERCISE asks of the flag.
 */
export const EVIDENCE: { readonly [K in BackendKind]: Partial<Record<CapabilityKey, Evidence>> } = {
  mailcow: {
    'domain.list': mc.domains, 'domain.create': mc.domains, 'domain.remove': mc.domains, 'domain.alias': mc.domains,
    'mailbox.list': mc.mailboxes, 'mailbox.create': mc.mailboxes, 'mailbox.update': mc.mailboxes, 'mailbox.remove': mc.mailboxes,
    'mailbox.suspend': mc.mailboxes, 'mailbox.setPassword': mc.mailboxes, 'mailbox.forcePasswordChange': mc.mailboxes,
    'alias.manage': mc.aliases, 'alias.catchAll': mc.aliases, 'group.manage': mc.aliases,
    'quota.set': mc.mailboxes, 'usage.read': mc.mailboxes,
    'dkim.generate': e(MC, 'has mailcow generate the DKIM key (add/dkim) and reads which key signs (get/dkim)'),
    'forward.read': e(FW, 'mailcow: reads Sieve redirects from active filters and the user script; aliases to other domains stay aliases'),
    'security.lastLogin': mc.security,
    'security.spamThreshold': mc.security,
  },
  stalwart: {
    'domain.list': st.domains, 'domain.create': st.domains, 'domain.remove': st.domains, 'domain.alias': st.domains,
    'mailbox.list': st.mailboxes, 'mailbox.create': st.mailboxes, 'mailbox.update': st.mailboxes, 'mailbox.remove': st.mailboxes,
    'mailbox.suspend': st.mailboxes, 'mailbox.setPassword': st.mailboxes,
    'alias.manage': st.aliases, 'alias.catchAll': st.aliases, 'group.manage': st.aliases, 'forward.set': st.aliases,
    'forward.read': e(FW, 'Stalwart: reads the redirects of the active Sieve script of each account through JMAP for Sieve'),
    'quota.set': st.mailboxes, 'usage.read': st.mailboxes,
    'dkim.install': e(ST, 'installs DKIM keys as active DkimSignature objects and lists which keys sign the domain'),
  },
  'google-workspace': {
    'domain.list': gw.users, 'domain.create': gw.users, 'domain.remove': gw.domains, 'domain.alias': gw.domains,
    'mailbox.list': gw.list, 'mailbox.create': gw.users, 'mailbox.update': gw.users, 'mailbox.remove': gw.users,
    'mailbox.suspend': gw.users, 'mailbox.setPassword': gw.users, 'mailbox.forcePasswordChange': gw.users,
    'alias.manage': e(GW, 'manages user aliases and group members'), 'group.manage': e(GW, 'manages user aliases and group members'),
    'forward.set': e(GW, 'reports external forwarding as pending until the target confirms'),
    'forward.read': e(FW, 'Google: reads auto-forwarding and filters with a forward action, as each user through delegation'),
    'usage.read': gw.list,
    'security.lastLogin': gw.security,
    'security.twoStepEnforcement': gw.security,
  },
  'microsoft-365': {
    'domain.list': ms.domains, 'domain.create': ms.domains, 'domain.remove': ms.domains,
    'mailbox.list': e(MS, 'lists users across @odata.nextLink pages and filters a domain with an advanced query'),
    'mailbox.create': ms.users, 'mailbox.update': ms.users, 'mailbox.remove': ms.users, 'mailbox.suspend': ms.users,
    'mailbox.setPassword': ms.users, 'mailbox.forcePasswordChange': ms.users,
    'group.manage': e(MS, 'manages Microsoft 365 group members; distribution lists need the sidecar'),
    'forward.set': e(MS, 'forwards through an inbox rule, and needs the sidecar to forward without a copy'),
    'security.lastLogin': e(MS, 'reads last sign-ins from signInActivity (interactive or not), and is refused without Entra ID P1'),
    'security.securityDefaults': e(MS, 'reads security defaults and turns them on through identitySecurityDefaultsEnforcementPolicy, read back'),
    'forward.read': e(FW, 'Microsoft 365: reads forwardTo, redirectTo and forwardAsAttachmentTo of enabled inbox rules; mailbox forwarding needs the sidecar'),
  },
  'postfixadmin-sql': {
    'domain.list': pfa.domains, 'domain.create': pfa.domains, 'domain.remove': pfa.domains, 'domain.alias': pfa.routing,
    'mailbox.list': pfa.listing, 'mailbox.create': pfa.login, 'mailbox.setPassword': pfa.login,
    'mailbox.update': e(PFA, 'enforces a quota set through Mailroom'), 'quota.set': e(PFA, 'enforces a quota set through Mailroom'),
    'mailbox.remove': e(PFA, 'deletes a mailbox and its self-alias; Dovecot no longer knows it'),
    'mailbox.suspend': e(PFA, 'refuses the login of a suspended mailbox and accepts it again after unsuspending'),
    'alias.manage': pfa.routing, 'alias.catchAll': pfa.routing, 'forward.set': pfa.routing, 'group.manage': pfa.listing,
    'forward.read': e(PFA_REAL, 'lists the forwards PostfixAdmin keeps in mailbox alias rows, as its own alias list shows them'),
    'usage.read': e(PFA, 'delivers over LMTP into the mailbox and reports live usage from quota2'),
    'dkim.install': e(PFA_OWN, 'installs a key into dkim + dkim_signing so OpenDKIM signs the domain with it, and says which key signs'),
  },
  imap: {
    'forward.read': e('test/integration/backends/imap-sieve.test.ts', 'reads the redirects of a script uploaded with PUTSCRIPT and made active with SETACTIVE'),
  },
};
