import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { runCliInProcess, type CliJson } from '../../support/cli-in-process.ts';
import { standardsCli } from './standards-cli.ts';
import { issueCert } from '../dns/dns-fixtures.ts';

const MS_SECRET = 'm365-standards-secret-1';
const standard = {
  name: 'tenant security',
  version: 1,
  targets: { kind: 'all' },
  rules: [
    { rule: 'm365.security-defaults', mode: 'remediate' },
    { rule: 'provisioning.recent-login', mode: 'report', params: { days: 30 } },
  ],
};

describe('Microsoft 365 security defaults and sign-ins as standard rules: read on refresh, fixed through Graph, read back', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let microsoft: MicrosoftFake;
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MS_SECRET }, vault });
  const { ok, evaluate, rows } = standardsCli(cli);
  const deviations = async (): Promise<string[]> => rows(await evaluate('tenant security'));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-m365-std-'));
    // msal talks HTTPS only: a certificate from the test CA (NODE_EXTRA_CA_CERTS under mr-itest).
    const issued = issueCert('mr-standards-graph', ['IP:127.0.0.1']);
    microsoft = new MicrosoftFake({ tenant: 'std-tenant', clientId: 'std-client', secret: MS_SECRET, tls: { key: readFileSync(issued.key, 'utf8'), cert: readFileSync(issued.cert, 'utf8') } });
    microsoft.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
    microsoft.graph.seedUser('ann@contoso.test').lastSignIn = new Date(Date.now() - 2 * 86_400_000).toISOString();
    microsoft.graph.seedUser('old@contoso.test').lastSignIn = '2025-01-15T09:00:00Z';
    microsoft.securityDefaults = false;
    const base = await microsoft.server.start();
    await ok('connections', 'add-microsoft', '--name', 'ms', '--tenant', 'std-tenant', '--client-id', 'std-client', '--client-secret-env', 'MS_SECRET', '--authority-host', base, '--graph-url', base);
    await ok('customers', 'assign', 'ms', 'Contoso');
    await ok('domains', 'list', '--refresh');
    writeFileSync(join(dataDir, 'tenant.json'), JSON.stringify(standard));
    await ok('standards', 'import', join(dataDir, 'tenant.json'));
  }, 60_000);
  afterAll(async () => {
    await microsoft?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('deviates while security defaults are off, is fixed through Graph and journaled, and drifts again after a refresh', async () => {
    expect(await deviations()).toEqual(['m365.security-defaults contoso.test: security defaults disabled', 'provisioning.recent-login old@contoso.test: last sign-in 2025-01-15']);
    const applied = await ok('standards', 'remediate', 'tenant security', '--apply');
    expect(applied['applied']).toEqual([{ target: 'contoso.test', ok: true, message: 'tenant.set done' }]);
    expect(microsoft.securityDefaults).toBe(true);
    const journal = (await ok('audit', 'list', '--action', 'connections.setTenantSettings'))['entries'] as CliJson[];
    expect(journal.map((j) => [j['object'], j['before'], j['after'], j['result']])).toEqual([['tenant:ms', { securityDefaults: false }, { securityDefaults: true }, 'ok']]);
    expect(await deviations()).toEqual(['provisioning.recent-login old@contoso.test: last sign-in 2025-01-15']);

    // Someone turns them off in the Entra admin center: the next refresh reads it and the drift is back.
    microsoft.securityDefaults = false;
    await ok('domains', 'list', '--refresh');
    expect(await deviations()).toContain('m365.security-defaults contoso.test: security defaults disabled');
  });

  it('leaves last logins unread, not failed, in a tenant without Entra ID P1', async () => {
    microsoft.graph.premium = false;
    await ok('domains', 'list', '--refresh');
    expect((await deviations()).filter((d) => d.startsWith('provisioning.recent-login'))).toEqual([]);
  });
});
