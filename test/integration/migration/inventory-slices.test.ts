import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchConnection } from '../../../electron/migration/fetch-connection.ts';
import { takeInventory } from '../../../electron/migration/inventory.ts';
import { seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser } from './support.ts';

// The inventory FETCHes a folder in slices (5,000 messages in use; no fixture folder is that large),
// so here a slice of 4 against the real Dovecot: the figures must be those of an unsliced inventory.

function message(folder: string, i: number): CorpusMessage {
  const body = 'x'.repeat(37 * i);
  return {
    name: `${folder}-${i}`,
    folder,
    content: Buffer.from(`Message-ID: <${folder}-${i}@slices.test>\r\nSubject: ${i}\r\n\r\n${body}\r\n`),
    internalDate: new Date(Date.UTC(2010, 0, 1 + i)),
    flags: i % 3 === 0 ? ['\\Seen', `$Tag${i % 5}`] : [],
  };
}

describe('the inventory in FETCH slices', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the same figures slice by slice as in one FETCH per folder, and FETCHes each folder in ceil(n / slice) commands', async () => {
    const account = freshUser('slices');
    // 23 messages (5 full slices and a short one), 8 (exactly 2 slices), 4 (one slice, to "*").
    await seedMailbox(endpointFor(account), [
      ...Array.from({ length: 23 }, (_, i) => message('INBOX', i)),
      ...Array.from({ length: 8 }, (_, i) => message('Archive', i)),
      ...Array.from({ length: 4 }, (_, i) => message('Sent', i)),
    ]);
    const fetches: string[] = [];
    const collect = FetchConnection.prototype.collect;
    vi.spyOn(FetchConnection.prototype, 'collect').mockImplementation(function (this: FetchConnection, command: string) {
      if (/^(UID )?FETCH /.test(command)) fetches.push(command);
      return collect.call(this, command);
    });

    const whole = await takeInventory(endpointFor(account), null);
    const wholeFetches = fetches.splice(0);
    const sliced = await takeInventory(endpointFor(account), null, { sliceSize: 4 });
    if (!whole.ok || !sliced.ok) throw new Error('inventory failed');

    // Dovecot's LIST order may differ from one session to the next: the folders are compared by path.
    const byName = (list: typeof whole.value) => [...list].sort((a, b) => a.path.localeCompare(b.path));
    expect(byName(sliced.value)).toEqual(byName(whole.value));
    const byPath = new Map(sliced.value.map((f) => [f.path, f]));
    expect([byPath.get('INBOX')?.messages, byPath.get('Archive')?.messages, byPath.get('Sent')?.messages]).toEqual([23, 8, 4]);
    expect(byPath.get('INBOX')?.keywords).toEqual(['$Tag0', '$Tag1', '$Tag2', '$Tag3', '$Tag4']);
    expect(wholeFetches).toHaveLength(3);
    // INBOX 1:4 … 21:*, Archive 1:4 5:*, Sent 1:* (in the listing's order of folders, hence sorted).
    const ranges = fetches.map((c) => c.split(' ')[1]).sort();
    expect(ranges).toEqual(['1:4', '5:8', '9:12', '13:16', '17:20', '21:*', '1:4', '5:*', '1:*'].sort());
  });
});
