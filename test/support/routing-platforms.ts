import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCOPES } from '../../electron/backends/google/google-auth.ts';
import type { CredentialVault } from '../../electron/platform/credential-vault.ts';
import { GoogleFake } from '../fakes/google/google-fake.ts';
import { MailcowFake } from '../fakes/mailcow/mailcow-fake.ts';
import { MicrosoftFake } from '../fakes/microsoft/microsoft-fake.ts';
import { StalwartFake } from '../fakes/stalwart/stalwart-fake.ts';
import { createRealSite, type RealSite } from '../integration/postfixadmin/support/real-postfixadmin.ts';
import { issueCert } from '../integration/dns/dns-fixtures.ts';
import { runCliInProcess, type InProcessRun } from './cli-in-process.ts';
import { addImapUsersKnown, testServers } from './servers.ts';
import { ManageSieveSession } from '../../electron/backends/managesieve/managesieve-client.ts';

/** Each platform's forwarding mailbox and where it forwards (outside the organisation unless said). */
export const PLATFORM_FORWARDS = {
  postfixadmin: { from: 'ana@pfa.routing.test', to: 'ana@home.example' },
  mailcow: { from: 'lea@mc.routing.test', to: 'lea@partner.example' },
  stalwart: { from: 'ida@st.routing.test', to: 'ida@home.example' },
  google: { from: 'bob@gw.routing.test', to: 'bob@gmail.example' },
  microsoft: { from: 'max@ms.routing.test', to: 'max@private.example' },
  imap: { from: 'eva@imap.routing.test', to: 'eva@home.example' },
} as const;

/** Forwards only some mail takes, with the condition Mailroom puts in words: a Sieve `if` and a Gmail filter. */
export const CONDITIONAL_FORWARDS = [
  { from: PLATFORM_FORWARDS.imap.from, to: 'books@partner.example', condition: 'subject contains invoice', platform: 'imap' },
  { from: PLATFORM_FORWARDS.google.from, to: PLATFORM_FORWARDS.google.to, condition: 'from boss@gw.routing.test', platform: 'google' },
] as const;

/** The IMAP-only account (a Dovecot user), whose forward is a Sieve redirect read over ManageSieve. */
const IMAP_ACCOUNT = { user: PLATFORM_FORWARDS.imap.from, password: 'Routing-imap-pw-42' };

/** The IMAP account's Sieve script: the base redirects, plus any extra lines. */
const imapScript = (extra = ''): string =>
  `require "copy";\nredirect :copy "${PLATFORM_FORWARDS.imap.to}";\nif header :contains "Subject" "invoice" { redirect "${CONDITIONAL_FORWARDS[0].to}"; }\n${extra}`;

/** Uploads and activates the IMAP account's script over ManageSieve, as a mail client's filter editor does. */
export async function putImapScript(extra = ''): Promise<void> {
  const servers = testServers();
  const sieve = await ManageSieveSession.open({ host: servers.imap.host, port: servers.imap.managesievePort, security: 'starttls' }, IMAP_ACCOUNT.user, IMAP_ACCOUNT.password);
  if (!sieve.ok) throw new Error(sieve.error.message);
  try {
    for (const step of [() => sieve.value.putScript('mailroom-routing', imapScript(extra)), () => sieve.value.setActive('mailroom-routing')]) {
      const done = await step();
      if (!done.ok) throw new Error(done.error.message);
    }
  } finally {
    await sieve.value.close();
  }
}

/** A forward that stays inside the organisation but crosses platforms: PostfixAdmin → Microsoft 365. */
export const CROSS_PLATFORM = { from: 'bo@pfa.routing.test', to: 'max@ms.routing.test' } as const;

/** The running platforms, their connections in one data folder, and how to stop them. */
export interface RoutingPlatforms {
  readonly site: RealSite;
  cli(...argv: string[]): Promise<InProcessRun>;
  close(): Promise<void>;
}

const KEYS = { MC_KEY: 'mc-routing-key-0123456789', ST_PW: 'admin-secret', MS_SECRET: 'graph~routing~secret', IMAP_PW: IMAP_ACCOUNT.password };

/**
 * Starts a real PostfixAdmin site (SQLite) and the Google, Microsoft, mailcow and Stalwart fakes, and takes a user of
 * the real Dovecot (IMAP-only, Sieve uploaded over ManageSieve); seeds one forward on each, in each platform's own
 * way, adds the six connections through the CLI and refreshes them into the cache.
 */
export async function startRoutingPlatforms(dataDir: string, vault: CredentialVault): Promise<RoutingPlatforms> {
  const cli = (...argv: string[]): Promise<InProcessRun> => runCliInProcess(argv, { dataDir, env: KEYS, vault });
  const must = async (...argv: string[]): Promise<void> => {
    const r = await cli(...argv);
    if (r.code !== 0) throw new Error(`mailroom ${argv.join(' ')} exited ${r.code}: ${r.out}${r.err}`);
  };
  const closers: (() => Promise<void> | void)[] = [];

  const site = await createRealSite('sqlite');
  closers.push(() => site.drop());
  await site.must('domain', 'add', 'pfa.routing.test');
  for (const u of ['ana', 'bo']) await site.must('mailbox', 'add', `${u}@pfa.routing.test`, '--password', 'Routing-pw-42', '--password2', 'Routing-pw-42');
  await site.must('alias', 'update', PLATFORM_FORWARDS.postfixadmin.from, '--goto', PLATFORM_FORWARDS.postfixadmin.to);
  await site.must('alias', 'update', CROSS_PLATFORM.from, '--goto', CROSS_PLATFORM.to);
  await must('connections', 'add-postfixadmin', '--name', 'pfa', '--dialect', 'sqlite', '--path', site.target.path!);

  const mailcow = new MailcowFake(KEYS.MC_KEY);
  const mcBase = await mailcow.server.start();
  closers.push(() => mailcow.server.close());
  await must('connections', 'add-mailcow', '--name', 'mc', '--url', mcBase, '--api-key-env', 'MC_KEY', '--allow-plaintext');
  await must('domains', 'create', 'mc.routing.test', '--connection', 'mc');
  mailcow.seedMailbox(PLATFORM_FORWARDS.mailcow.from);
  mailcow.userSieve.set(PLATFORM_FORWARDS.mailcow.from, `require "copy";\nredirect :copy "${PLATFORM_FORWARDS.mailcow.to}";\n`);

  const stalwart = new StalwartFake('admin', KEYS.ST_PW);
  const stBase = await stalwart.server.start();
  closers.push(() => stalwart.server.close());
  const domainId = stalwart.seed('Domain', { name: 'st.routing.test', isEnabled: true });
  const ida = stalwart.seed('Account', { '@type': 'User', name: 'ida', domainId });
  stalwart.sieve.seedScript(ida, 'forward', `redirect "${PLATFORM_FORWARDS.stalwart.to}";`, true);
  await must('connections', 'add-stalwart', '--name', 'st', '--url', stBase, '--user', 'admin', '--secret-env', 'ST_PW', '--allow-plaintext');

  const google = new GoogleFake(['gw.routing.test']);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  google.registerServiceAccount('sa@routing.iam.gserviceaccount.com', keys.publicKey);
  [...SCOPES.directory, ...SCOPES.gmail].forEach((s) => google.dwdScopes.add(s));
  google.directory.seedUser('admin@gw.routing.test');
  google.directory.seedUser(PLATFORM_FORWARDS.google.from);
  const gw = PLATFORM_FORWARDS.google;
  google.forwarding.set(gw.from, { addresses: [{ email: gw.to, status: 'accepted' }], auto: { enabled: false } });
  google.filters.seed(gw.from, { criteria: { from: 'boss@gw.routing.test' }, action: { forward: gw.to } });
  const gBase = await google.server.start();
  closers.push(() => google.server.close());
  const keyFile = join(dataDir, 'routing-sa.json');
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: 'sa@routing.iam.gserviceaccount.com', private_key: keys.privateKey, token_uri: `${gBase}/token` }), { mode: 0o600 });
  await must('connections', 'add-google', '--name', 'gw', '--admin', 'admin@gw.routing.test', '--key-file', keyFile, '--root-url', `${gBase}/`, '--gmail-root-url', `${gBase}/`);

  // msal talks HTTPS only: the Graph fake gets a certificate from the test CA (NODE_EXTRA_CA_CERTS under mr-itest).
  const issued = issueCert('mr-routing-graph', ['IP:127.0.0.1']);
  const microsoft = new MicrosoftFake({ tenant: 'routing-tenant', clientId: 'routing-client', secret: KEYS.MS_SECRET, tls: { key: readFileSync(issued.key, 'utf8'), cert: readFileSync(issued.cert, 'utf8') } });
  microsoft.graph.domains.set('ms.routing.test', { id: 'ms.routing.test', isVerified: true, isDefault: true });
  const max = microsoft.graph.seedUser(PLATFORM_FORWARDS.microsoft.from);
  max.rules.push({ id: 'r1', displayName: 'to my own', sequence: 1, isEnabled: true, hasError: false, conditions: {}, actions: { redirectTo: [{ emailAddress: { address: PLATFORM_FORWARDS.microsoft.to } }] } });
  const msBase = await microsoft.server.start();
  closers.push(() => microsoft.server.close());
  await must('connections', 'add-microsoft', '--name', 'ms', '--tenant', 'routing-tenant', '--client-id', 'routing-client', '--client-secret-env', 'MS_SECRET', '--authority-host', msBase, '--graph-url', msBase);

  const servers = testServers();
  await addImapUsersKnown(servers, [IMAP_ACCOUNT]);
  await putImapScript();
  await must('connections', 'add', '--name', 'imap', '--host', servers.imap.host, '--port', String(servers.imap.port), '--tls', 'starttls', '--user', IMAP_ACCOUNT.user, '--password-env', 'IMAP_PW', '--sieve-port', String(servers.imap.managesievePort));

  for (const name of ['pfa', 'mc', 'st', 'gw', 'ms', 'imap']) await must('domains', 'list', '--refresh', '--connection', name);
  return {
    site,
    cli,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
