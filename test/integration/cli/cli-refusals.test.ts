import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess, type InProcessRun } from '../../support/cli-in-process.ts';
import { createTestDatabase, type TestDatabase } from '../provisioning/support/databases.ts';

// Bad input gets one line on stderr and exit 2: no stack, nothing written, nothing silently ignored.
describe('mailroom refuses bad input clearly (exit 2, one line)', () => {
  let db: TestDatabase;
  let dataDir: string;
  const vault = new MemoryVault();
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, vault, env: { PW: 'Secret-pass-1' } });
  const refused = (run: InProcessRun, pattern: RegExp) => {
    expect(run.code, run.out + run.err).toBe(2);
    const lines = run.err.trim().split('\n');
    expect(lines, run.err).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(run.err).not.toMatch(/\n\s+at |Error:/);
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-refusals-'));
    const added = await cli('connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', db.target.path!);
    expect(added.code, added.err).toBe(0);
    expect((await cli('domains', 'create', 'example.test', '--connection', 'box')).code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('relay set: a host with CR/LF is refused, not stored', async () => {
    refused(await cli('relay', 'set', '--host', 'smtp.example.test\r\nRCPT TO:<evil@example.test>', '--port', '587', '--tls', 'starttls', '--from', 'it@example.test'), /host: no line breaks or other control characters/);
    refused(await cli('relay', 'set', '--host', 'smtp.example.test', '--port', '587', '--tls', 'starttls', '--from', 'it@example.test', '--user', 'a\r\nMAIL FROM:<x@y.z>', '--password-env', 'PW'), /user: no line breaks or other control characters/);
    expect((await cli('relay', 'show')).out).toMatch(/No SMTP relay configured/);
  });

  it('connections add --tls none to another machine needs --allow-plaintext, which warns', async () => {
    refused(await cli('connections', 'add', '--name', 'clear', '--host', 'imap.example.test', '--tls', 'none', '--user', 'u', '--password-env', 'PW'), /TLS "none" to imap\.example\.test sends the password in clear.*--allow-plaintext/);
    expect((await cli('connections', 'list', '--json')).json().connections.map((c: { name: string }) => c.name)).toEqual(['box']);
    const allowed = await cli('connections', 'add', '--skip-test', '--name', 'clear', '--host', 'imap.example.test', '--tls', 'none', '--user', 'u', '--password-env', 'PW', '--allow-plaintext');
    expect(allowed.err).toMatch(/^warning: TLS "none" to imap\.example\.test sends the password in clear/);
    expect(allowed.code, allowed.err).toBe(0);
    // Loopback stays allowed without the flag: nothing crosses the network.
    expect((await cli('connections', 'add', '--skip-test', '--name', 'local', '--host', '127.0.0.1', '--tls', 'none', '--user', 'u', '--password-env', 'PW')).code).toBe(0);
  });

  it('add-mailcow and add-stalwart with an http:// URL to another machine need --allow-plaintext', async () => {
    refused(await cli('connections', 'add-mailcow', '--name', 'mc', '--url', 'http://mail.example.test', '--api-key-env', 'PW'), /http:\/\/mail\.example\.test is plain http.*--allow-plaintext/);
    refused(await cli('connections', 'add-stalwart', '--name', 'st', '--url', 'http://mail.example.test:8080', '--secret-env', 'PW'), /plain http/);
    const allowed = await cli('connections', 'add-mailcow', '--name', 'mc', '--url', 'http://mail.example.test', '--api-key-env', 'PW', '--allow-plaintext', '--skip-test');
    expect(allowed.err).toMatch(/^warning: http:\/\/mail\.example\.test is plain http/);
    expect(allowed.code, allowed.err).toBe(0);
  });

  it('an empty or unreadable size is refused, not ignored', async () => {
    refused(await cli('mailboxes', 'create', 'q@example.test', '--connection', 'box', '--password-env', 'PW', '--quota', ''), /--quota "" is not a size/);
    refused(await cli('mailboxes', 'update', 'q@example.test', '--connection', 'box', '--quota', 'abc'), /--quota "abc" is not a size/);
    refused(await cli('domains', 'update', 'example.test', '--connection', 'box', '--max-mailbox', ''), /--max-mailbox "" is not a size/);
    refused(await cli('domains', 'update', 'example.test', '--connection', 'box', '--active', 'maybe'), /--active must be yes or no/);
    refused(await cli('migrate', '--source', 'imaps://a@127.0.0.1:1', '--target', 'imaps://b@127.0.0.1:1', '--max-size', 'abc'), /--max-size must be a number of bytes/);
    expect((await cli('mailboxes', 'list', '--connection', 'box', '--json')).json().total).toBe(0);
  });

  it('mailboxes create *@domain is refused with a pointer to the catch-all alias', async () => {
    refused(await cli('mailboxes', 'create', '*@example.test', '--connection', 'box', '--password-env', 'PW'), /catch-all, which is an alias/);
    expect((await cli('aliases', 'create', '*@example.test', '--connection', 'box', '--to', 'postmaster@example.test')).code).toBe(0);
    expect((await cli('aliases', 'list', '--json')).json().map((a: { address: string }) => a.address)).toEqual(['@example.test']);
  });

  it('mail domains: an underscore is refused; a Unicode name is refused with its xn-- form', async () => {
    refused(await cli('domains', 'create', 'bad_name.example.test', '--connection', 'box'), /cannot contain "_"/);
    refused(await cli('domains', 'create', 'bücher.example.test', '--connection', 'box'), /use xn--bcher-kva\.example\.test/);
    refused(await cli('mailboxes', 'create', 'ana@bücher.example.test', '--connection', 'box', '--password-env', 'PW'), /use ana@xn--bcher-kva\.example\.test/);
    expect((await cli('domains', 'list', '--json')).json().map((d: { name: string }) => d.name)).toEqual(['example.test']);
  });

  it('--help after a command prints that command\'s usage and exits 0, before anything else runs', async () => {
    for (const command of ['serve', 'reports', 'migrate']) {
      const run = await cli(command, '--help');
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(new RegExp(`^mailroom ${command} `));
      expect(run.err).toBe('');
    }
  });
});
