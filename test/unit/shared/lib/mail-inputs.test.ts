import { describe, expect, it } from 'vitest';
import { domainToASCII } from 'node:url';
import { addressProblem, normalizeAddress, normalizeDomain } from '../../../../shared/lib/mail-address.ts';
import { isLoopbackHost, normalizeHost, plaintextProblem } from '../../../../shared/lib/validate.ts';
import { parseArgs } from '../../../../shared/ipc/schemas.ts';
import { validateImapForm } from '../../../../renderer/features/connections/imap-form-model.ts';
import { mailcowForm } from '../../../../renderer/features/connections/platform-form-models.ts';

describe('mail domains and addresses', () => {
  it('refuses "_" in mail domains but keeps it in host names', () => {
    expect(normalizeDomain('bad_name.example.com')).toBeNull();
    expect(normalizeAddress('ana@bad_name.example.com')).toBeNull();
    expect(normalizeHost('_dmarc.example.com')).toBe('_dmarc.example.com');
    expect(normalizeHost('db_1.internal.example')).toBe('db_1.internal.example');
  });

  it('never takes *@domain as a mailbox, only as the catch-all', () => {
    expect(normalizeAddress('*@example.com')).toBeNull();
    expect(normalizeAddress('*@example.com', { allowCatchAll: true })).toBe('@example.com');
    expect(normalizeAddress('a*b@example.com')).toBe('a*b@example.com');
    expect(addressProblem('*@example.com', 'mailbox')).toMatch(/catch-all, which is an alias/);
  });

  it('says why the usual mistakes are refused', () => {
    expect(addressProblem('ü@example.com', 'mailbox')).toMatch(/non-ASCII local parts/);
    expect(addressProblem('"a b"@example.com', 'mailbox')).toMatch(/quoted local parts/);
    expect(addressProblem('bücher.example', 'domain')).toMatch(/xn--/);
    expect(addressProblem('a_b.example', 'domain')).toMatch(/"_"/);
  });

  it('suggests the xn-- form of a Unicode domain where a converter is given (the Node side)', () => {
    const bad = parseArgs('domains', 'create', ['c1', { name: 'Bücher.example' }], { toAscii: domainToASCII });
    expect(!bad.ok && bad.error.message).toMatch(/use xn--bcher-kva\.example$/);
    const address = parseArgs('mailboxes', 'create', ['c1', { address: 'ana@bücher.example', password: 'x' }], { toAscii: domainToASCII });
    expect(!address.ok && address.error.message).toMatch(/use ana@xn--bcher-kva\.example$/);
    const plain = parseArgs('domains', 'create', ['c1', { name: 'bücher.example' }]);
    expect(!plain.ok && plain.error.message).not.toMatch(/use /);
  });

  it('refuses CR/LF in the relay host and login', () => {
    const relay = { host: 'smtp.example.com', port: 587, tls: 'starttls', from: 'it@example.com' };
    expect(parseArgs('relay', 'set', [relay]).ok).toBe(true);
    expect(parseArgs('relay', 'set', [{ ...relay, host: 'smtp.example.com\r\nRCPT TO:<x@example.com>' }]).ok).toBe(false);
    expect(parseArgs('relay', 'set', [{ ...relay, user: 'u\nAUTH' }]).ok).toBe(false);
  });
});

describe('credentials in clear', () => {
  it('knows loopback from the network', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', 'localhost', 'LOCALHOST.']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['128.0.0.1', 'example.com', '10.0.0.1', 'localhost.example.com', '::2', '']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('flags tls none and plain http to another machine only', () => {
    expect(plaintextProblem({ tls: 'none', host: 'imap.example.com' })).toMatch(/in clear/);
    expect(plaintextProblem({ tls: 'starttls', host: 'imap.example.com' })).toBeNull();
    expect(plaintextProblem({ tls: 'none', host: '127.0.0.1' })).toBeNull();
    expect(plaintextProblem({ url: 'http://mail.example.com/api' })).toMatch(/plain http/);
    expect(plaintextProblem({ url: 'HTTP://user@mail.example.com' })).toMatch(/plain http/);
    expect(plaintextProblem({ url: 'http://[::1]:8080' })).toBeNull();
    expect(plaintextProblem({ url: 'https://mail.example.com' })).toBeNull();
  });

  it('the schemas refuse it unless allowed; the console forms allow it only with their warning in view', () => {
    const imap = { name: 'x', host: 'imap.example.com', port: 143, tls: 'none', user: 'u', password: 'p' };
    expect(parseArgs('connections', 'addImap', [imap]).ok).toBe(false);
    expect(parseArgs('connections', 'addImap', [{ ...imap, allowPlaintext: true }]).ok).toBe(true);
    expect(parseArgs('connections', 'addMailcow', [{ name: 'm', baseUrl: 'http://mail.example.com', apiKey: 'k' }]).ok).toBe(false);
    expect(parseArgs('connections', 'addMailcow', [{ name: 'm', baseUrl: 'http://127.0.0.1:8080', apiKey: 'k' }]).ok).toBe(true);

    const form = validateImapForm({ name: 'x', host: 'imap.example.com', port: '143', tls: 'none', user: 'u', password: 'p', pinnedFingerprint: '' });
    expect(form).toMatchObject({ input: { allowPlaintext: true } });
    const values = { name: 'm', baseUrl: 'http://mail.example.com', apiKey: 'k' };
    expect(mailcowForm.fields.find((f) => f.name === 'baseUrl')!.warning!(values)).toMatch(/unencrypted/);
    expect(mailcowForm.validate(values)).toMatchObject({ input: { allowPlaintext: true } });
    expect(mailcowForm.fields.find((f) => f.name === 'baseUrl')!.warning!({ ...values, baseUrl: 'https://mail.example.com' })).toBeUndefined();
  });
});
