import { describe, expect, it } from 'vitest';
import { appError } from '../../../../shared/errors/result.ts';
import { describeError, errorText } from '../../../../renderer/lib/error-text.ts';

describe('error text', () => {
  it.each([
    ['imap.auth', 'The server rejected the user name or password.'],
    ['imap.connection', 'Cannot reach the server'],
    ['imap.tls', 'certificate is not trusted'],
    ['imap.timeout', 'did not answer in time'],
    ['transport.unauthorized', 'mailroom serve'],
    ['vault.unavailable', 'keychain'],
    ['conflict', 'already exists'],
  ])('words %s for a person, not a developer', (code, expected) => {
    expect(errorText(code)).toContain(expected);
  });

  it('falls back to a generic sentence for a code it does not know', () => {
    expect(errorText('brand.new')).toBe('Something went wrong.');
    expect(errorText('toString')).toBe('Something went wrong.');
  });

  it('keeps the stable code and the technical message for the details line', () => {
    const described = describeError(appError('imap.auth', '127.0.0.1:993: the server rejected the user name or password.'));
    expect(described.title).toBe('The server rejected the user name or password.');
    expect(described.details).toBe('imap.auth: 127.0.0.1:993: the server rejected the user name or password.');
  });
});
