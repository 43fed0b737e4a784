// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { googleForm, mailcowForm, microsoftForm, postfixAdminForm, readServiceAccountKey, stalwartForm, withoutSecrets } from '../../../../../renderer/features/connections/platform-form-models.ts';
import { capabilityCounts, capabilityRows, serverInfo } from '../../../../../renderer/features/connections/connection-info.ts';
import type { Capabilities } from '../../../../../shared/domain/provisioning.ts';

const KEY = JSON.stringify({ type: 'service_account', client_email: 'mailroom@proj.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' });
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('platform form models', () => {
  it('PostfixAdmin: SQLite needs a path, the servers need host, database and user; the port is optional', () => {
    const sqlite = postfixAdminForm.validate({ ...postfixAdminForm.empty(), name: 'Box', dialect: 'sqlite' });
    expect(sqlite).toEqual({ errors: { path: 'Enter the path of the SQLite database file.' } });
    expect(postfixAdminForm.validate({ ...postfixAdminForm.empty(), name: 'Box', dialect: 'sqlite', path: '/srv/pfa.db', host: 'ignored' })).toEqual({ input: { name: 'Box', dialect: 'sqlite', passwordScheme: 'BLF-CRYPT', path: '/srv/pfa.db' } });
    const mysql = postfixAdminForm.validate({ ...postfixAdminForm.empty(), name: '', host: 'db host', port: '99999' });
    expect('errors' in mysql && Object.keys(mysql.errors).sort()).toEqual(['database', 'host', 'name', 'port', 'user']);
    expect(postfixAdminForm.validate({ ...postfixAdminForm.empty(), name: 'Pg', dialect: 'postgres', host: 'DB.Example.com', database: 'postfixadmin', user: 'pfa', password: 's3cret', passwordScheme: 'ARGON2ID' })).toEqual({
      input: { name: 'Pg', dialect: 'postgres', passwordScheme: 'ARGON2ID', host: 'db.example.com', database: 'postfixadmin', user: 'pfa', password: 's3cret' },
    });
  });

  it('mailcow: an http(s) URL without credentials and an API key', () => {
    expect(mailcowForm.validate({ name: 'mc', baseUrl: 'ftp://mail.example.com', apiKey: '' })).toEqual({ errors: { baseUrl: 'Enter a URL starting with https:// (or http:// on a trusted network).', apiKey: 'Enter the API key.' } });
    expect(mailcowForm.validate({ name: 'mc', baseUrl: 'https://admin:pw@mail.example.com', apiKey: 'k' })).toMatchObject({ errors: { baseUrl: expect.stringContaining('Leave the user name and password out') } });
    expect(mailcowForm.validate({ name: ' mc ', baseUrl: 'https://mail.example.com/', apiKey: ' KEY-1 ' })).toEqual({ input: { name: 'mc', baseUrl: 'https://mail.example.com', apiKey: 'KEY-1' } });
  });

  it('Stalwart: an administrator and password, or an API key without a user name', () => {
    expect(stalwartForm.validate({ ...stalwartForm.empty(), name: 's', baseUrl: 'https://mx.example.com' })).toEqual({ errors: { username: 'Enter the administrator’s login.', secret: 'Enter the password.' } });
    expect(stalwartForm.validate({ ...stalwartForm.empty(), name: 's', baseUrl: 'https://mx.example.com', username: 'admin', secret: ' pw ' })).toEqual({ input: { name: 's', baseUrl: 'https://mx.example.com', username: 'admin', secret: ' pw ' } });
    expect(stalwartForm.validate({ ...stalwartForm.empty(), name: 's', baseUrl: 'https://mx.example.com', auth: 'apikey', username: 'left-over', apiKey: 'api_123' })).toEqual({ input: { name: 's', baseUrl: 'https://mx.example.com', secret: 'api_123' } });
  });

  it('Google: a super-admin address and a real service-account key file', () => {
    expect(readServiceAccountKey('{nope')).toMatchObject({ error: expect.stringContaining('not JSON') });
    expect(readServiceAccountKey('{"type":"authorized_user"}')).toMatchObject({ error: expect.stringContaining('not a service-account key') });
    expect(readServiceAccountKey(KEY)).toEqual({ clientEmail: 'mailroom@proj.iam.gserviceaccount.com' });
    const missing = googleForm.validate({ ...googleForm.empty(), name: 'g', adminEmail: 'admin' });
    expect('errors' in missing && missing.errors).toEqual({ adminEmail: 'Enter the e-mail address of a super-admin of the Workspace.', serviceAccountJson: 'Choose the service account’s JSON key file.' });
    expect(googleForm.validate({ ...googleForm.empty(), name: 'g', adminEmail: 'Admin@Example.com', serviceAccountJson: KEY })).toEqual({ input: { name: 'g', adminEmail: 'admin@example.com', serviceAccountJson: KEY } });
  });

  it('Microsoft 365: GUIDs (or the tenant domain), a secret, optional licence and location', () => {
    const bad = microsoftForm.validate({ ...microsoftForm.empty(), name: 'm', tenantId: 'not a tenant', clientId: '123', usageLocation: 'Germany' });
    expect('errors' in bad && Object.keys(bad.errors).sort()).toEqual(['clientId', 'clientSecret', 'tenantId', 'usageLocation']);
    expect(microsoftForm.validate({ ...microsoftForm.empty(), name: 'm', tenantId: 'contoso.onmicrosoft.com', clientId: GUID, clientSecret: 'abc~def', usageLocation: 'de' })).toEqual({
      input: { name: 'm', tenantId: 'contoso.onmicrosoft.com', clientId: GUID, clientSecret: 'abc~def', usageLocation: 'DE' },
    });
  });

  it('clears exactly the secret fields after a submit', () => {
    expect(withoutSecrets(googleForm, { ...googleForm.empty(), name: 'g', adminEmail: 'a@b.co', serviceAccountJson: KEY })).toMatchObject({ name: 'g', adminEmail: 'a@b.co', serviceAccountJson: '' });
    expect(withoutSecrets(stalwartForm, { ...stalwartForm.empty(), username: 'admin', secret: 'pw', apiKey: 'k' })).toMatchObject({ username: 'admin', secret: '', apiKey: '' });
  });
});

describe('connection info', () => {
  const base = { id: 'c', name: 'n', hasSecret: true, createdAt: '', lastTest: null };
  it('describes each platform’s server from its settings', () => {
    expect(serverInfo({ ...base, kind: 'postfixadmin', settings: { dialect: 'postgres', host: 'db', port: 5432, database: 'pfa', user: 'u' } })).toEqual({ primary: 'db:5432/pfa', tag: 'PostgreSQL', secondary: 'u · default hashing' });
    expect(serverInfo({ ...base, kind: 'postfixadmin', settings: { dialect: 'sqlite', path: '/p.db', passwordScheme: 'BLF-CRYPT', site: { encrypt: 'sha512.b64' } } }).secondary).toBe('sha512.b64');
    expect(serverInfo({ ...base, kind: 'mailcow', settings: { baseUrl: 'https://mail.example.com' } })).toEqual({ primary: 'https://mail.example.com', tag: 'API key', secondary: null });
    expect(serverInfo({ ...base, kind: 'google', settings: { adminEmail: 'a@b.co', clientEmail: 'sa@x' } })).toMatchObject({ primary: 'a@b.co', secondary: 'my_customer · sa@x' });
    expect(serverInfo({ ...base, kind: 'microsoft', settings: { tenantId: 't', clientId: 'c' } })).toMatchObject({ primary: 'Tenant t', secondary: 'Client c' });
  });

  it('lists every operation of a capability probe with its level and manual path', () => {
    const n = { level: 'native' } as const;
    const caps: Capabilities = {
      kind: 'microsoft-365', version: null,
      domain: { list: n, create: n, remove: n, alias: { level: 'unsupported', manual: 'Microsoft 365 admin center → Settings → Domains' } },
      mailbox: { list: n, create: n, update: n, remove: n, suspend: n, setPassword: n, forcePasswordChange: n },
      alias: { manage: n, catchAll: { level: 'needs-sidecar', manual: 'New-TransportRule -Name CatchAll …' } },
      group: { manage: n, model: 'object' },
      forward: { set: { level: 'emulated', how: 'inbox rule' }, read: { level: 'needs-sidecar', manual: 'Get-Mailbox -ResultSize Unlimited …' }, keepCopy: true, needsConfirmation: false },
      quota: { set: { level: 'needs-sidecar', manual: 'Set-Mailbox -ProhibitSendReceiveQuota' } },
      usage: { read: n, freshness: 'days' },
      dkim: { generate: { level: 'needs-sidecar', manual: 'New-DkimSigningConfig' }, install: { level: 'unsupported', manual: 'export the key' } },
      security: { lastLogin: { level: 'unsupported', manual: 'Entra sign-in logs' }, twoStepEnforcement: n, securityDefaults: n, spamThreshold: n },
    };
    const rows = capabilityRows(caps);
    expect(rows).toHaveLength(24);
    expect(rows.find((r) => r.operation === 'Reads last login')!.support.manual).toBe('Entra sign-in logs');
    expect(rows.find((r) => r.operation === 'Read for the routing view')!.support.manual).toContain('Get-Mailbox');
    expect(rows.find((r) => r.operation === 'Catch-all')!.support.manual).toContain('New-TransportRule');
    expect(rows.find((r) => r.area === 'Storage' && r.operation.startsWith('Read usage'))!.operation).toBe('Read usage (days)');
    expect(rows.find((r) => r.operation === 'Signs with a Mailroom key')!.support.manual).toBe('export the key');
    expect(capabilityCounts(rows)).toEqual({ native: 16, emulated: 1, 'needs-sidecar': 4, unsupported: 3 });
  });
});
