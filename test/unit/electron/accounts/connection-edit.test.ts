import { describe, expect, it } from 'vitest';
import { editedSettings } from '../../../../electron/accounts/connection-edit.ts';

const imap = { name: 'Main', settings: { host: 'imap.example.com', port: 993, tls: 'implicit', user: 'me@example.com' } };

describe('editedSettings', () => {
  it('merges changed settings over the stored ones and removes the cleared ones', () => {
    const pinned = { ...imap, settings: { ...imap.settings, pinnedFingerprint: 'AB:'.repeat(31) + 'CD' } };
    const result = editedSettings('imap', pinned, { settings: { host: 'mail.example.com', port: 143, tls: 'starttls', pinnedFingerprint: null } }, 'pw');
    expect(result).toEqual({ ok: true, value: { host: 'mail.example.com', port: 143, tls: 'starttls', user: 'me@example.com' } });
  });

  it('checks the merged result as adding does: a bad port, plaintext to another host, a secret passed as a setting', () => {
    expect(editedSettings('imap', imap, { settings: { port: 70000 } }, 'pw')).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringMatching(/^port:/) } });
    expect(editedSettings('imap', imap, { settings: { tls: 'none' } }, 'pw')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/allow plaintext/) } });
    expect(editedSettings('imap', imap, { settings: { tls: 'none' }, allowPlaintext: true }, 'pw')).toMatchObject({ ok: true, value: { tls: 'none' } });
    expect(editedSettings('imap', imap, { settings: { password: 'x' } }, 'pw')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/"password" is not a setting/) } });
  });

  it('still saves other settings when the keychain lost the secret', () => {
    expect(editedSettings('mailcow', { name: 'Mc', settings: { baseUrl: 'https://mc.example.com' } }, { settings: { baseUrl: 'https://mail.example.com' } }, null)).toEqual({ ok: true, value: { baseUrl: 'https://mail.example.com' } });
  });

  it('keeps the client e-mail of a Google key in step with a new key', () => {
    const stored = { name: 'G', settings: { adminEmail: 'admin@example.com', clientEmail: 'old@p.iam.gserviceaccount.com' } };
    const key = JSON.stringify({ type: 'service_account', client_email: 'new@p.iam.gserviceaccount.com', private_key: 'k' });
    expect(editedSettings('google', stored, { secret: key }, null)).toEqual({ ok: true, value: { adminEmail: 'admin@example.com', clientEmail: 'new@p.iam.gserviceaccount.com' } });
    expect(editedSettings('google', stored, { secret: '{"type":"user"}' }, null)).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });
});
