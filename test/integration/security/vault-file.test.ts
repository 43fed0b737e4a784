import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armor } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault, vaultFilePath } from '../../../electron/platform/file-vault.ts';
import { dataFiles } from '../../../electron/platform/paths.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { isServing, startServe } from '../../support/serve-process.ts';
import { addImapUser, testServers, type TestServers } from '../../support/servers.ts';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// No Secret Service in these processes (the bus address leads nowhere): the vault file is the only place for secrets.
describe('the vault file on a machine without a Secret Service, against the real Dovecot', () => {
  const passphrase = `vault passphrase ${randomUUID()}`;
  const user = `vault-${randomUUID().slice(0, 8)}`;
  const password = `Canary-${randomUUID()}-pw`;
  const encodings = [password, Buffer.from(password).toString('base64'), Buffer.from(password).toString('hex')];
  let servers: TestServers;
  let dataDir: string;
  let env: Record<string, string>;
  let vaultFile: string;
  const cli = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
    runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra }, ...(stdin === undefined ? {} : { stdin }) });

  beforeAll(async () => {
    servers = testServers();
    addImapUser(servers, user, password);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-vaultfile-'));
    env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}`, NODE_EXTRA_CA_CERTS: servers.ca, MAILROOM_VAULT: 'file', VAULT_PASSPHRASE: passphrase };
    vaultFile = vaultFilePath(dataDir);
    // Sealed here with a low scrypt work factor (the file records it) so each CLI start opens it quickly;
    // the first-run test below creates one through the CLI with age's default.
    await new FileVault(vaultFile, async () => passphrase, { workFactor: 12 }).unlock();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds an IMAPS connection and tests it, the password coming back from the vault file', async () => {
    const add = await cli(
      ['connections', 'add', '--name', 'Dovecot', '--host', servers.imap.host, '--port', String(servers.imap.imapsPort), '--user', user, '--passphrase-env', 'VAULT_PASSPHRASE', '--json'],
      {},
      `${password}\n`,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(lastJson<{ connection: { hasSecret: boolean } }>(add).connection.hasSecret).toBe(true);

    const passphraseFile = join(dataDir, 'passphrase.txt');
    writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
    const test = await cli(['connections', 'test', 'Dovecot', '--passphrase-file', passphraseFile, '--json']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(lastJson<{ report: { folderCount: number } }>(test).report.folderCount).toBeGreaterThanOrEqual(1);
    rmSync(passphraseFile);
  });

  it('refuses a wrong passphrase with one line and exit 2, and a missing one without a terminal', async () => {
    const wrong = await cli(['connections', 'test', 'Dovecot', '--passphrase-env', 'WRONG'], { WRONG: 'not the vault passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`error [vault.unavailable]: The passphrase does not open the vault file ${vaultFile}.\n`);
    const json = await cli(['connections', 'test', 'Dovecot', '--passphrase-env', 'WRONG', '--json'], { WRONG: 'not the vault passphrase' });
    expect([json.code, lastJson<{ error: { code: string } }>(json).error.code]).toEqual([2, 'vault.unavailable']);
    const none = await cli(['connections', 'test', 'Dovecot']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error \[vault\.unavailable\]: The vault file .* needs its passphrase: give --passphrase-file FILE or --passphrase-env VAR, or run on a terminal\.\n$/);
  });

  it('serves the console with the vault file opened once at start, and uses the secret through the loopback host', async () => {
    const serve = await startServe(['--data-dir', dataDir, '--passphrase-env', 'VAULT_PASSPHRASE'], env);
    if (!isServing(serve)) throw new Error(`serve did not start: ${serve.stderr}`);
    try {
      expect(serve.stderr()).toBe(`Secrets are kept in the vault file ${vaultFile}, sealed with its passphrase.\n`);
      const info = await serve.call<{ vault: unknown }>('app.info');
      expect(info.value!.vault).toEqual({ kind: 'file', available: true, message: `Secrets are kept in the vault file ${vaultFile}, sealed with its passphrase.` });
      const list = await serve.call<{ id: string; name: string }[]>('connections.list');
      const id = list.value!.find((c) => c.name === 'Dovecot')!.id;
      const tested = await serve.call<{ folderCount: number }>('connections.test', id);
      expect(tested.ok, JSON.stringify(tested.error)).toBe(true);
      for (const encoded of encodings) expect(JSON.stringify([info, list, tested])).not.toContain(encoded);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    const refused = await startServe(['--data-dir', dataDir, '--passphrase-env', 'WRONG'], { ...env, WRONG: 'not the vault passphrase' });
    expect(isServing(refused)).toBe(false);
    expect(refused).toEqual({
      code: 2,
      stdout: `${JSON.stringify({ error: { code: 'vault.unavailable', message: `The passphrase does not open the vault file ${vaultFile}.`, retryable: false } })}\n`,
      stderr: '',
    });
  });

  it('keeps the password out of the cache, its WAL, the logs and every other file; the vault file is 0600 and sealed', () => {
    const files = filesUnder(dataDir);
    expect(files).toContain(dataFiles(dataDir).database);
    // serve logged which vault it opened: the log is there to be searched.
    expect(readFileSync(dataFiles(dataDir).log, 'utf8')).toContain('"message":"vault checked at start","kind":"file","available":true');
    expect(files).toContain(vaultFile);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const encoded of encodings) expect(bytes.includes(encoded), `${encoded} found in ${file}`).toBe(false);
    }
    expect(statSync(vaultFile).mode & 0o777).toBe(0o600);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates the vault file on first use through the CLI, sealed with age scrypt at its default work factor', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'mailroom-vaultfile-new-'));
    try {
      const add = await runCli(
        ['--data-dir', fresh, 'connections', 'add', '--name', 'Dovecot', '--host', servers.imap.host, '--port', String(servers.imap.imapsPort), '--user', user, '--password-env', 'IMAP_PW', '--passphrase-env', 'VAULT_PASSPHRASE'],
        { env: { ...env, IMAP_PW: password } },
      );
      expect(add.code, add.stderr).toBe(0);
      expect(add.stderr).toBe(`Created the vault file ${vaultFilePath(fresh)}; keep its passphrase safe.\n`);
      const sealed = JSON.parse(readFileSync(vaultFilePath(fresh), 'utf8')) as { key: string };
      const header = Buffer.from(armor.decode(sealed.key)).toString('latin1');
      expect(header).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S+ 18\n/);
      const short = await runCli(['--data-dir', join(fresh, 'other'), 'connections', 'test', 'x', '--passphrase-env', 'SHORT'], { env: { ...env, SHORT: 'too short' } });
      expect([short.code, short.stderr]).toEqual([2, `error [vault.unavailable]: Choose a passphrase of at least 12 characters for the new vault file ${vaultFilePath(join(fresh, 'other'))}.\n`]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
