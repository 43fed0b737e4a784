import { describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../../../shared/domain/connection.ts';
import { editFields, editOf, editValues, fieldShown } from '../../../../../renderer/features/connections/edit-connection-model.ts';

const imap: ConnectionSummary = {
  id: 'c1',
  name: 'Main',
  kind: 'imap',
  settings: { host: 'imap.example.com', port: 993, tls: 'implicit', user: 'me@example.com', pinnedFingerprint: 'AA:BB' },
  hasSecret: true,
  createdAt: '2025-01-01T00:00:00Z',
  lastTest: null,
};

describe('the edit form model', () => {
  it('offers every IMAP setting, starting from the stored values and a blank secret', () => {
    expect(editFields(imap).map((f) => f.key)).toEqual(['host', 'port', 'tls', 'user', 'pinnedFingerprint', 'sievePort']);
    expect(editValues(imap)).toMatchObject({ name: 'Main', host: 'imap.example.com', port: '993', secret: '' });
  });

  it('sends only what changed: a new password, a cleared pin, a port as a number', () => {
    const values = { ...editValues(imap), port: '143', pinnedFingerprint: '', secret: 'new-pw' };
    expect(editOf(imap, values)).toEqual({ settings: { port: 143, pinnedFingerprint: null }, secret: 'new-pw' });
    expect(editOf(imap, editValues(imap))).toEqual({});
    expect(editOf(imap, { ...editValues(imap), port: 'x' })).toEqual({ error: 'Port: enter a whole number.', field: 'port' });
    // The ManageSieve port of the routing view's Sieve forwards, a number like the IMAP port.
    expect(editOf(imap, { ...editValues(imap), sievePort: '14190' })).toEqual({ settings: { sievePort: 14190 } });
    expect(editOf(imap, { ...editValues(imap), sievePort: '4190x' })).toEqual({ error: 'ManageSieve port (Sieve forwards; empty: 4190): enter a whole number.', field: 'sievePort' });
  });

  it('lists structured and derived settings of other platforms apart', () => {
    const google: ConnectionSummary = { ...imap, kind: 'google', settings: { adminEmail: 'a@example.com', clientEmail: 'sa@x.iam.gserviceaccount.com' } };
    expect(editFields(google).map((f) => f.key)).not.toContain('clientEmail');
  });
});

describe('the PostfixAdmin site block in the edit form model', () => {
  const pfa: ConnectionSummary = { ...imap, kind: 'postfixadmin', settings: { dialect: 'sqlite', path: '/srv/pfa.db', passwordScheme: 'SHA512-CRYPT', quotaMultiplier: 1_048_576, site: { quota: 'yes', maxquota: 300 } } };

  it('shows the block in effect: the older scheme and multiplier folded in, YES/NO written as config.local.php writes them', () => {
    expect(editFields(pfa).map((f) => f.key)).toEqual(['dialect', 'host', 'port', 'database', 'user', 'path']);
    expect(editValues(pfa)).toMatchObject({ 'site.encrypt': 'dovecot:SHA512-CRYPT', 'site.quota_multiplier': '1048576', 'site.quota': 'YES', 'site.maxquota': '300', 'site.aliases': '' });
    expect(['host', 'path'].filter((k) => fieldShown(pfa, k, editValues(pfa)))).toEqual(['path']);
    expect(editOf(pfa, editValues(pfa))).toEqual({});
  });

  it('sends the whole block when one setting changes, and clears the older settings it replaces', () => {
    const values = { ...editValues(pfa), 'site.aliases': '25', 'site.quota': '' };
    expect(editOf(pfa, values)).toEqual({
      settings: { passwordScheme: null, quotaMultiplier: null, site: { encrypt: 'dovecot:SHA512-CRYPT', quota_multiplier: 1_048_576, maxquota: 300, aliases: 25 } },
    });
  });

  it('names the field of a value PostfixAdmin would not take', () => {
    expect(editOf(pfa, { ...editValues(pfa), 'site.mailboxes': '-5' })).toEqual({
      error: 'mailboxes is a whole number from -1 to 2147483647, not "-5".',
      field: 'site.mailboxes',
    });
  });
});
