import { describe, expect, it } from 'vitest';
import { defaultPort, emptyImapForm, validateImapForm } from '../../../../../renderer/features/connections/imap-form-model.ts';

const filled = { ...emptyImapForm(), name: ' Acme ', host: 'IMAP.Example.COM.', port: '993', user: ' admin@example.com ', password: ' p w ' };

describe('IMAP connection form', () => {
  it('defaults to implicit TLS on port 993 and uses 143 for STARTTLS and plain', () => {
    expect(emptyImapForm()).toMatchObject({ tls: 'implicit', port: '993' });
    expect(defaultPort('starttls')).toBe('143');
    expect(defaultPort('none')).toBe('143');
  });

  it('turns a valid form into connections.addImap input, normalising but never trimming the password', () => {
    expect(validateImapForm(filled)).toEqual({
      input: { name: 'Acme', host: 'imap.example.com', port: 993, tls: 'implicit', user: 'admin@example.com', password: ' p w ' },
    });
  });

  it('names every missing field', () => {
    const result = validateImapForm({ ...emptyImapForm(), port: '' });
    expect('errors' in result && Object.keys(result.errors).sort()).toEqual(['host', 'name', 'password', 'port', 'user']);
  });

  it.each([
    ['host', 'imap://mail.example.com', 'not a valid host'],
    ['port', '0', 'from 1 to 65535'],
    ['port', '70000', 'from 1 to 65535'],
    ['port', '99.5', 'from 1 to 65535'],
    ['name', 'x'.repeat(81), 'at most 80'],
    ['pinnedFingerprint', 'AB:CD', '64 hexadecimal digits'],
  ])('rejects %s = %s', (field, value, message) => {
    const result = validateImapForm({ ...filled, [field]: value });
    expect('errors' in result && result.errors[field as keyof typeof result.errors]).toContain(message);
  });

  it('accepts an IPv6 literal and a pinned fingerprint', () => {
    const fingerprint = 'ab'.repeat(32);
    const result = validateImapForm({ ...filled, host: '[::1]', pinnedFingerprint: fingerprint });
    expect(result).toMatchObject({ input: { host: '::1', pinnedFingerprint: fingerprint } });
  });
});
