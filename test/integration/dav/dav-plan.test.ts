import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationDavInventory } from '../../../shared/domain/migration.ts';
import { generateContacts, generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { endpointFor, freshUser, servers, urlFor } from '../migration/support.ts';

interface ShownRow {
  source: string;
  estimate: { messages: number } | null;
  warnings: string[];
  sourceDav: string | null;
  dav: MigrationDavInventory | null;
}

// The IMAP account on Dovecot; its calendars on Radicale under another user name with the same password.
const davUser = 'carol';
let mail: { user: string; password: string };
let radicale: RadicaleServer;
let home: string;

beforeAll(async () => {
  mail = freshUser('davplan');
  radicale = await startRadicale([{ user: davUser, password: mail.password }]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-plan-'));
  await seedMailbox(endpointFor(mail), loadCorpus(4));
  await seedCollection(radicale, davUser, mail.password, { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT', 'VTODO'], items: generateEvents(30, 'America/New_York', 'work') });
  await seedCollection(radicale, davUser, mail.password, { kind: 'addressbook', name: 'people', displayName: 'People', items: generateContacts(12) });
}, 180_000);

afterAll(async () => {
  await radicale?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('mailroom plan with calendars and contacts', () => {
  it("shows the source's calendars and address books with Radicale's own counts, and a failed discovery as that pair's warning", async () => {
    const davUrl = radicale.url.replace('http://', `http://${davUser}@`);
    const csv = join(home, 'pairs.csv');
    writeFileSync(csv, ['source,target,source_dav,target_dav', `${urlFor(mail)},imaps://t%40example.test@127.0.0.1:1,${davUrl},${davUrl}`, `${urlFor(mail)},imaps://u%40example.test@127.0.0.1:1,http://127.0.0.1:1/,`].join('\n') + '\n');
    const args = ['plan', '--pairs', csv, '--target-preset', 'dovecot', '--name', 'dav', '--state', join(home, 'plan.db'), '--ca', servers().ca];
    const env = { env: { MAILROOM_SOURCE_PASSWORD: mail.password, MAILROOM_HOME: home } };

    const made = await runCli([...args, '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const rows = lastJson<{ plan: { rows: ShownRow[] } }>(made).plan.rows;
    expect(rows).toHaveLength(2);
    const [withDav, broken] = rows as [ShownRow, ShownRow];
    expect(withDav.estimate?.messages).toBe(4);
    expect(withDav.dav?.error).toBeNull();
    const found = Object.fromEntries(withDav.dav!.collections.map((c) => [new URL(c.url).pathname, { kind: c.kind, name: c.displayName, items: c.items }]));
    expect(found).toEqual({
      [`/${davUser}/work/`]: { kind: 'calendar', name: 'Work', items: storedItems(radicale, davUser, 'work').length },
      [`/${davUser}/people/`]: { kind: 'addressbook', name: 'People', items: storedItems(radicale, davUser, 'people').length },
    });
    expect(storedItems(radicale, davUser, 'people')).toHaveLength(12);
    // The unreachable DAV server fails that pair's discovery only; its mail is planned all the same.
    expect(broken.estimate?.messages).toBe(4);
    expect(broken.dav?.collections).toEqual([]);
    expect(broken.dav?.error).toMatch(/127\.0\.0\.1:1/);
    expect(broken.warnings.some((w) => w.startsWith('calendars and contacts:'))).toBe(true);

    const shown = await runCli(['plan', '--show', 'dav', '--state', join(home, 'plan.db')], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/calendar\s+Work\s+30/);
    expect(shown.stdout).toMatch(/address book\s+People\s+12/);
    expect(shown.stdout).toMatch(/warning: .*calendars and contacts: .*127\.0\.0\.1:1/);
  });

  it('refuses a DAV URL with a password in it, in one line and without planning', async () => {
    const run = await runCli(['plan', '--source', urlFor(mail), '--target', 'imaps://t%40example.test@127.0.0.1:1', '--source-dav', `http://${davUser}:secret@127.0.0.1:1/`, '--target-preset', 'dovecot', '--state', join(home, 'refused.db')], { env: { MAILROOM_SOURCE_PASSWORD: mail.password, MAILROOM_HOME: home } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no password in the DAV URL/);
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
