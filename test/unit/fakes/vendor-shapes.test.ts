import { describe, expect, it } from 'vitest';
import { BEHAVIOUR, checkRow, READ_FIELDS, unknownAttributes, WRITE_ATTRIBUTES } from '../../fakes/mailcow/mailcow-shapes.ts';
import { checkObject, SESSION_FACTS, SHAPES } from '../../fakes/stalwart/stalwart-shapes.ts';

// The shapes the fakes enforce, checked against the writes the adapters sent before they were held to the
// vendors' definitions: each old shape must be refused, each current one accepted.
describe('Stalwart 0.16 shapes the fake holds the adapter to', () => {
  it('sets are objects of `value: true`, object lists objects keyed by index', () => {
    expect(SHAPES['Domain']!.properties['aliases']!.type).toBe('set');
    expect(SHAPES['MailingList']!.properties['recipients']!.type).toBe('set');
    expect(SHAPES['Account']!.properties['aliases']!.type).toBe('objectList');
    expect(checkObject('MailingList', { name: 'team', domainId: 'd1', recipients: ['a@example.net'] })).toMatch(/not an array/);
    expect(checkObject('MailingList', { name: 'team', domainId: 'd1', recipients: { 'a@example.net': true } })).toBeNull();
    expect(checkObject('Account', { name: 'ann', domainId: 'd1', aliases: [{ name: 'sales', domainId: 'd1' }] })).toMatch(/keyed "0"/);
    expect(checkObject('Account', { name: 'ann', domainId: 'd1', aliases: { '0': { name: 'sales', domainId: 'd1', enabled: true } } })).toBeNull();
    expect(checkObject('Account', { name: 'ann', domainId: 'd1', credentials: [{ '@type': 'Password', secret: 'x' }] })).toMatch(/keyed "0"/);
  });

  it('permissions are a tagged union; suspension is not a flat {authenticate: false}', () => {
    expect(checkObject('Account', { permissions: { authenticate: false } })).toMatch(/@type/);
    expect(checkObject('Account', { permissions: { '@type': 'Merge', disabledPermissions: { authenticate: true }, enabledPermissions: {} } })).toBeNull();
    expect(checkObject('Account', { permissions: { '@type': 'Inherit' } })).toBeNull();
  });

  it('server-set properties are refused on writes, unknown ones everywhere', () => {
    expect(checkObject('Account', { emailAddress: 'a@b.c' })).toMatch(/set by the server/);
    expect(checkObject('Account', { usedDiskQuota: 1 })).toMatch(/set by the server/);
    expect(checkObject('Account', { usedDiskQuota: 1 }, false)).toBeNull();
    expect(checkObject('DkimSignature', { publicKey: '-----BEGIN PUBLIC KEY-----' })).toMatch(/set by the server/);
    // The old forwarding wrote a SieveUserScript (a global script) with an owner and a `script` text.
    expect(SHAPES['SieveUserScript']).toBeUndefined();
    expect(checkObject('SieveScript', { principalId: 'a1', name: 'mailroom-forward', script: 'redirect "x";' })).toMatch(/no such property/);
    expect(checkObject('SieveScript', { name: 'mailroom-forward', blobId: 'b1' })).toBeNull();
  });

  it('MailingList cannot be filtered by name or domain; accounts can', () => {
    expect(SHAPES['MailingList']!.filters).toEqual(['text', 'memberTenantId']);
    expect(SHAPES['Account']!.filters).toEqual(expect.arrayContaining(['@type', 'domainId', 'name']));
    expect(SHAPES['DkimSignature']!.filters).toContain('domainId');
  });

  it('the session names urn:stalwart:jmap only per account; registry errors include primaryKeyViolation', () => {
    expect(SESSION_FACTS.stalwartCapabilityInSession).toBe(false);
    expect(SESSION_FACTS.apiPath).toBe('/jmap/');
    expect(SESSION_FACTS.registrySetErrors).toEqual(expect.arrayContaining(['primaryKeyViolation', 'objectIsLinked']));
  });
});

describe('mailcow shapes the fake holds the adapter to', () => {
  it('reads type numbers as mailcow sends them, and force_pw_update sits in attributes', () => {
    const row = { username: 'a@b.c', domain: 'b.c', local_part: 'a', name: 'A', active: 1, quota: 0, quota_used: 0, messages: 0, percent_in_use: 0, attributes: {} };
    expect(checkRow('get/mailbox', row)).toBe('get/mailbox.active: expected a number as a string');
    expect(checkRow('get/mailbox', { ...row, active: '1' })).toBeNull();
    expect(READ_FIELDS['get/mailbox']).not.toHaveProperty('force_pw_update');
    expect(READ_FIELDS['get/mailbox attributes']).toHaveProperty('force_pw_update', 'numeric-string');
    expect(READ_FIELDS['get/domain']).toMatchObject({ bytes_total: 'numeric-string', max_quota_for_domain: 'number' });
    expect(READ_FIELDS['get/dkim']).toHaveProperty('pubkey');
    // Last logins are numbers of seconds outside the documented row; the spam score is one "low,high" string.
    expect(checkRow('get/mailbox logins', { last_imap_login: 1_700_000_000, last_smtp_login: 0, last_pop3_login: 0, last_sso_login: '0' })).toBe('get/mailbox logins.last_sso_login: expected a number');
    expect(checkRow('get/spam-score', { score: '8,15' })).toBeNull();
    expect(checkRow('get/spam-score', { spam_score: '8,15' })).toBe('get/spam-score.score: missing');
  });

  it('writes take only the attributes each route defines', () => {
    expect(unknownAttributes('add/mailbox', { local_part: 'a', domain: 'b.c', password: 'x', password2: 'x', quota: 1, active: 1, force_pw_update: 0, name: '' })).toEqual([]);
    expect(unknownAttributes('add/mailbox', { localpart: 'a', quota_mb: 1 })).toEqual(['localpart', 'quota_mb']);
    expect(WRITE_ATTRIBUTES['add/alias-domain']).toEqual(expect.arrayContaining(['alias_domain', 'target_domain', 'active']));
    expect(WRITE_ATTRIBUTES['add/dkim']).toEqual(['dkim_selector', 'domains', 'key_size']);
  });

  it('records the behaviour that shaped the adapter', () => {
    expect(BEHAVIOUR).toMatchObject({ emptyRead: '{}', writeFailureStatus: 200, mailboxSelfAlias: true, aliasSkipsSelfTarget: true, aliasOnMailboxRefused: 'is_alias_or_mailbox' });
  });
});
