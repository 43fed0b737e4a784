import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess, type CliJson } from '../../support/cli-in-process.ts';
import { standardsCli } from './standards-cli.ts';

const MC_KEY = 'mc-standards-key-0123456789';
const SA = 'mailroom@project.iam.gserviceaccount.com';
const DAY_S = 86_400;

const standard = {
  name: 'platform strict',
  version: 1,
  targets: { kind: 'all' },
  rules: [
    { rule: 'provisioning.catch-all', mode: 'remediate' },
    { rule: 'provisioning.external-forward', mode: 'remediate', params: { allow: [] } },
    { rule: 'provisioning.recent-login', mode: 'report', params: { days: 30 } },
    { rule: 'google.2sv-enforced', mode: 'report' },
    { rule: 'mailcow.spam-threshold', mode: 'remediate', params: { minScore: 2, maxScore: 20 } },
    { rule: 'm365.security-defaults', mode: 'report' },
  ],
};

describe('platform-setting and last-login rules on the mailcow and Google fakes, remediated through the adapters', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let mailcow: MailcowFake;
  let google: GoogleFake;
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MC_KEY }, vault });
  const cliHelpers = standardsCli(cli);
  const { ok, rows } = cliHelpers;
  const evaluate = (): Promise<CliJson> => cliHelpers.evaluate('platform strict');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-platform-std-'));
    const now = Math.floor(Date.now() / 1000);
    mailcow = new MailcowFake(MC_KEY);
    mailcow.domains.set('mc.test', { name: 'mc.test', description: '', active: 1, maxquotaMiB: 10_240 });
    mailcow.seedMailbox('ann@mc.test');
    mailcow.seedMailbox('idle@mc.test');
    mailcow.mailboxes.get('ann@mc.test')!.lastLogin.imap = now - DAY_S;
    mailcow.mailboxes.get('idle@mc.test')!.lastLogin.smtp = now - 200 * DAY_S;
    mailcow.spamLevels.set('idle@mc.test', { low: 1, high: 40 });
    const mcBase = await mailcow.server.start();

    google = new GoogleFake(['gw.test']);
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    google.registerServiceAccount(SA, keys.publicKey);
    [...SCOPES.directory, ...SCOPES.reports, ...SCOPES.gmail].forEach((s) => google.dwdScopes.add(s));
    const admin = google.directory.seedUser('admin@gw.test', 'Ada Admin');
    Object.assign(admin, { lastLoginTime: new Date((now - 2 * DAY_S) * 1000).toISOString(), isEnrolledIn2Sv: true, isEnforcedIn2Sv: true });
    google.directory.seedUser('bob@gw.test', 'Bob Builder');
    google.forwarding.set('bob@gw.test', { addresses: [{ email: 'bob@far.test', status: 'accepted' }], auto: { enabled: true, emailAddress: 'bob@far.test', disposition: 'leaveInInbox' } });
    const gBase = await google.server.start();
    writeFileSync(join(dataDir, 'sa.json'), JSON.stringify({ type: 'service_account', client_email: SA, private_key: keys.privateKey, token_uri: `${gBase}/token` }));

    await ok('connections', 'add-mailcow', '--name', 'mc', '--url', mcBase, '--api-key-env', 'MC_KEY');
    await ok('connections', 'add-google', '--name', 'gw', '--admin', 'admin@gw.test', '--key-file', join(dataDir, 'sa.json'), '--root-url', `${gBase}/`, '--gmail-root-url', `${gBase}/`);
    await ok('customers', 'assign', 'mc', 'Cow Co');
    await ok('customers', 'assign', 'gw', 'Gee Inc');
    await ok('aliases', 'create', '@mc.test', '--connection', 'mc', '--to', 'ann@mc.test');
    await ok('aliases', 'create', 'desk@mc.test', '--connection', 'mc', '--to', 'ann@mc.test,desk@far.test');
    await ok('domains', 'list', '--refresh');
    writeFileSync(join(dataDir, 'strict.json'), JSON.stringify(standard));
    await ok('standards', 'import', join(dataDir, 'strict.json'));
  }, 60_000);

  afterAll(async () => {
    await mailcow?.server.close();
    await google?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the drift each platform reports, and counts rules a platform cannot support apart', async () => {
    const first = await evaluate();
    expect(rows(first)).toEqual([
      'google.2sv-enforced bob@gw.test: 2-Step Verification not enforced',
      expect.stringMatching(/^google\.2sv-enforced mc\.test \(unsupported\): not supported on mailcow: mailcow has per-mailbox force_tfa/),
      expect.stringMatching(/^m365\.security-defaults gw\.test \(unsupported\): not supported on google: Microsoft 365 only/),
      expect.stringMatching(/^m365\.security-defaults mc\.test \(unsupported\): not supported on mailcow/),
      expect.stringMatching(/^mailcow\.spam-threshold gw\.test \(unsupported\): not supported on google: Gmail has no spam score/),
      'mailcow.spam-threshold idle@mc.test: spam thresholds 1,40',
      expect.stringMatching(/^provisioning\.catch-all @mc\.test: catch-all to ann@mc\.test$/),
      expect.stringMatching(/^provisioning\.catch-all gw\.test \(unsupported\): not supported on google/),
      'provisioning.external-forward bob@gw.test: forwards to bob@far.test',
      'provisioning.external-forward desk@mc.test: alias to desk@far.test',
      'provisioning.recent-login bob@gw.test: never signed in',
      expect.stringMatching(/^provisioning\.recent-login idle@mc\.test: last sign-in \d{4}-\d\d-\d\d$/),
    ]);
    // mc.test holds none of its 4 supported rules; gw.test none of its 3 (2SV, forwards, logins).
    expect(first['score']).toEqual({ 'Cow Co': 0, 'Gee Inc': 0 });
    expect(first['supportedScore']).toEqual({ 'Cow Co': 0, 'Gee Inc': 0 });
  });

  it('remediates through the adapters, reads the change back from each platform, and the drift resolves', async () => {
    const plan = await ok('standards', 'remediate', 'platform strict');
    const adapterFixes = (plan['remedies'] as CliJson[]).filter((r) => r['kind'] === 'adapter').map((r) => `${r['action']} ${r['address']}`).sort();
    expect(adapterFixes).toEqual(['alias.remove @mc.test', 'alias.set desk@mc.test', 'forward.clear bob@gw.test', 'spam-threshold.set idle@mc.test']);
    // A remedy changes nothing until --apply.
    expect(mailcow.visibleAliases().map((a) => a.address).sort()).toEqual(['@mc.test', 'desk@mc.test']);

    const applied = await ok('standards', 'remediate', 'platform strict', '--apply');
    expect((applied['applied'] as CliJson[]).filter((a) => !a['ok'])).toEqual([]);
    expect(applied['applied']).toHaveLength(4);
    // Read back from the platforms themselves.
    expect(mailcow.visibleAliases().map((a) => [a.address, a.goto])).toEqual([['desk@mc.test', 'ann@mc.test']]);
    expect(mailcow.spamLevels.get('idle@mc.test')).toEqual({ low: 2, high: 20 });
    expect(google.forwarding.get('bob@gw.test')?.auto.enabled).toBe(false);
    const journal = (await ok('audit', 'list', '--action', 'mailboxes.setSpamThreshold'))['entries'] as CliJson[];
    expect(journal.map((j) => [j['object'], j['before'], j['after']])).toEqual([['idle@mc.test', { low: 1, high: 40 }, { low: 2, high: 20 }]]);

    await ok('domains', 'list', '--refresh');
    const after = await evaluate();
    expect(rows(after).filter((r) => !r.includes('(unsupported)'))).toEqual([
      'google.2sv-enforced bob@gw.test: 2-Step Verification not enforced',
      'provisioning.recent-login bob@gw.test: never signed in',
      expect.stringMatching(/^provisioning\.recent-login idle@mc\.test/),
    ]);
    // mc.test: 3 of 6 rules (3 of its 4 supported); gw.test: 1 of 6 (1 of 3 supported).
    expect(after['score']).toEqual({ 'Cow Co': 50, 'Gee Inc': 17 });
    expect(after['supportedScore']).toEqual({ 'Cow Co': 75, 'Gee Inc': 33 });
  });
});
