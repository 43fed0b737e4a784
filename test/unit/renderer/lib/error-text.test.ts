import { describe, expect, it } from 'vitest';
import { appError } from '../../../../shared/errors/result.ts';
import { describeError, errorText, reasonOf } from '../../../../renderer/lib/error-text.ts';

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

  it("quotes the backend's own words as the reason, with the connection and object it concerns", () => {
    const error = appError('backend.validation', 'mailcow /api/v1/edit/mailbox: mailbox_quota_exceeded 512', { detail: { vendorCode: 'mailbox_quota_exceeded', backendMessage: 'mailbox_quota_exceeded 512' } });
    expect(describeError(error, { connection: 'Cloud mail', object: 'cy@cloud.test' })).toEqual({
      title: 'The platform refused the values sent.',
      reason: 'mailbox_quota_exceeded 512',
      details: 'backend.validation: mailcow /api/v1/edit/mailbox: mailbox_quota_exceeded 512',
      context: 'Cloud mail · cy@cloud.test',
    });
    // Without a separate backend message, the error's own message is the reason; an empty one is none.
    expect(reasonOf(appError('backend.validation', 'The quota exceeds the per-mailbox maximum of x.test (100 MB).'))).toBe('The quota exceeds the per-mailbox maximum of x.test (100 MB).');
    expect(reasonOf(appError('internal', '  '))).toBeNull();
    expect(describeError(appError('notFound', 'gone')).context).toBeNull();
  });

  it('names the command the user ran, as code', () => {
    expect(errorText('transport.unauthorized', 'npm start')).toContain('Open the address that `npm start` printed');
    expect(errorText('io.failed', 'npm start')).toContain('`npm start`');
  });
});
