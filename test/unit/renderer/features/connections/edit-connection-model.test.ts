import { describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../../../shared/domain/connection.ts';
import { editFields, editOf, editValues } from '../../../../../renderer/features/connections/edit-connection-model.ts';

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
    expect(editOf(imap, { ...editValues(imap), port: 'x' })).toEqual({ error: 'Port: enter a whole number.' });
    // The ManageSieve port of the routing view's Sieve forwards, a number like the IMAP port.
    expect(editOf(imap, { ...editValues(imap), sievePort: '14190' })).toEqual({ settings: { sievePort: 14190 } });
    expect(editOf(imap, { ...editValues(imap), sievePort: '4190x' })).toEqual({ error: 'ManageSieve port (Sieve forwards; empty: 4190): enter a whole number.' });
  });

  it('lists structured and derived settings of other platforms apart', () => {
    const google: ConnectionSummary = { ...imap, kind: 'google', settings: { adminEmail: 'a@example.com', clientEmail: 'sa@x.iam.gserviceaccount.com' } };
    expect(editFields(google).map((f) => f.key)).not.toContain('clientEmail');
  });
});
