import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { isServing, startServe } from '../../support/serve-process.ts';
import { testServers, type TestServers } from '../../support/servers.ts';

// The test run has a Secret Service (keyring.sh); these processes get a session bus address that leads nowhere.
describe('no Secret Service: every path says vault.unavailable and what to do (issue 12, finding 9)', () => {
  let servers: TestServers;
  let dataDir: string;
  let env: Record<string, string>;
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra } });
  const FIX = /^The Secret Service keyring \(GNOME Keyring, KeePassXC\) is not available \(.*DBus.*\)\. Start and unlock a Secret Service keyring in this login session .*--vault file or MAILROOM_VAULT=file\)\.$/;

  beforeAll(() => {
    servers = testServers();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-nokeyring-'));
    env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}`, NODE_EXTRA_CA_CERTS: servers.ca, MAILROOM_VAULT: '' };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('connections add: one line with the fix, exit 2, no stack, nothing saved', async () => {
    const user = servers.users[0]!;
    const args = ['connections', 'add', '--name', 'Dovecot', '--host', servers.imap.host, '--port', String(servers.imap.imapsPort), '--user', user.user, '--password-env', 'IMAP_PW'];
    const human = await cli(args, { IMAP_PW: user.password });
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    const lines = human.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error \[vault\.unavailable\]: /);
    expect(lines[0]!.replace('error [vault.unavailable]: ', '')).toMatch(FIX);
    expect(human.stderr).not.toMatch(/internal|details are in the log|\n\s+at /);

    const json = await cli([...args, '--json'], { IMAP_PW: user.password });
    expect(json.code).toBe(2);
    const { error } = lastJson<{ error: { code: string; message: string } }>(json);
    expect(error.code).toBe('vault.unavailable');
    expect(error.message).toMatch(FIX);

    const list = await cli(['connections', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(lastJson<{ connections: unknown[] }>(list).connections).toEqual([]);
  });

  it('mailroom serve warns at start, reports it in app.info for the banner, and answers vault.unavailable over the loopback host', async () => {
    const serve = await startServe(['--data-dir', dataDir], env);
    if (!isServing(serve)) throw new Error(`serve did not start: ${serve.stderr}`);
    try {
      expect(serve.stderr()).toMatch(/^warning \[vault\.unavailable\]: The Secret Service keyring .* MAILROOM_VAULT=file\)\.\n$/);
      const info = await serve.call<{ vault: { kind: string; available: boolean; message: string } }>('app.info');
      expect(info.value!.vault).toMatchObject({ kind: 'keychain', available: false });
      expect(info.value!.vault.message).toMatch(FIX);
      const user = servers.users[0]!;
      const added = await serve.call('connections.addImap', { name: 'Dovecot', host: '127.0.0.1', port: servers.imap.imapsPort, tls: 'implicit', user: user.user, password: user.password });
      expect(added.ok).toBe(false);
      expect(added.error!.code).toBe('vault.unavailable');
      expect(added.error!.message).toMatch(FIX);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
