import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, freshUser, servers } from './support.ts';

describe('mailroom migrate with saved connections (passwords from the keychain)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-saved-'));
  const env = { MAILROOM_KEYCHAIN_SERVICE: `Mailroom-migrate-${randomUUID()}`, MAILROOM_SOURCE_PASSWORD: '', MAILROOM_TARGET_PASSWORD: '' };
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra } });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('copies between two saved IMAP connections with no password in the environment or on the command line', async () => {
    const src = freshUser('kcsrc');
    const dst = freshUser('kcdst');
    await seedMailbox(endpointFor(src), loadCorpus(25));
    const s = servers();
    for (const [name, account] of [['old-host', src], ['new-host', dst]] as const) {
      const add = await cli(['connections', 'add', '--name', name, '--host', s.imap.host, '--port', String(s.imap.imapsPort), '--tls', 'implicit', '--user', account.user, '--password-env', 'PW', '--json'], { PW: account.password });
      expect(add.code, add.stderr).toBe(0);
    }
    const state = join(dataDir, 'state.db');
    const run = await cli(['migrate', '--source-connection', 'old-host', '--target-connection', 'new-host', '--state', state, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(lastJson(run)).toMatchObject({ copied: 25, skipped: 0, failed: 0 });
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra]).toEqual([[], []]);
    // The passwords went from the keychain to the servers only: not into output, the state file or the logs.
    const written = [run.stdout, run.stderr, ...readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => readFileSync(join(d.parentPath, d.name)).toString('latin1'))].join('\n');
    for (const secret of [src.password, dst.password]) expect(written).not.toContain(secret);
  });

  it('refuses an unknown connection, and --source-connection together with --source, as usage errors', async () => {
    const unknown = await cli(['migrate', '--source-connection', 'nowhere', '--target', 'imaps://a%40b.test@127.0.0.1:1', '--json']);
    expect(unknown.code).toBe(2);
    expect(lastJson<{ error: { code: string; message: string } }>(unknown).error).toMatchObject({ code: 'input.invalid', message: expect.stringMatching(/no saved connection "nowhere"/) as string });
    const both = await cli(['migrate', '--source-connection', 'old-host', '--source', 'imaps://a%40b.test@127.0.0.1:1', '--target', 'imaps://c%40d.test@127.0.0.1:1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--source-connection replaces --source/);
  });
});
