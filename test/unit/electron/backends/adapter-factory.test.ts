import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../../../electron/backends/adapter-factory.ts';
import { MailcowAdapter } from '../../../../electron/backends/mailcow/mailcow-adapter.ts';

describe('createAdapter', () => {
  it('builds an adapter per kind from validated settings', () => {
    const made = createAdapter('mailcow', { baseUrl: 'https://mail.example.com' }, 'key');
    expect(made.ok && made.value).toBeInstanceOf(MailcowAdapter);
    expect(createAdapter('microsoft-365', { tenantId: 't', clientId: 'c' }, 'secret').ok).toBe(true);
    expect(createAdapter('google-workspace', { adminEmail: 'a@example.com' }, '{}').ok).toBe(true);
    expect(createAdapter('stalwart', { baseUrl: 'https://mx.example.net', username: 'admin' }, 'pw').ok).toBe(true);
  });

  it('rejects missing or malformed settings without echoing the secret', () => {
    const noUrl = createAdapter('mailcow', {}, 'super-secret-key');
    expect(!noUrl.ok && noUrl.error).toMatchObject({ code: 'input.invalid' });
    expect(JSON.stringify(noUrl)).not.toContain('super-secret-key');
    expect(createAdapter('stalwart', { baseUrl: 'ftp://x' }, 'pw').ok).toBe(false);
    expect(createAdapter('microsoft-365', { tenantId: 't' }, 'pw').ok).toBe(false);
    expect(createAdapter('mailcow', { baseUrl: 'https://x.test' }, '').ok).toBe(false);
  });
});
