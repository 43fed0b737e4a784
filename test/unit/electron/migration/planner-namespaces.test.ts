import { describe, expect, it } from 'vitest';
import { parseInventoryMeta } from '../../../../electron/migration/inventory.ts';
import { estimateMailbox, type FolderInventory } from '../../../../electron/migration/planner.ts';
import { PRESETS } from '../../../../electron/migration/presets.ts';

const MB = 1024 * 1024;
const folder = (path: string, messages: number, bytes: number, extra: Partial<FolderInventory> = {}): FolderInventory => ({
  path, messages, bytes, largest: 0, oversize: [], keywords: [], labelCopies: 0, labelCopyBytes: 0, ...extra,
});

// Exchange on-premises: 4 messages a second, nothing else bounds it, 10 MB per message.
const exchange = PRESETS['exchange']!;
// INBOX untagged, as in a plan saved before inventories carried the namespace.
const mailbox = [
  folder('INBOX', 400, 4 * MB),
  folder('Archive', 400, 6 * MB, { namespace: 'personal' }),
  folder('user.bob.Sent', 800, 30 * MB, { namespace: 'other', oversize: [20 * MB], largest: 20 * MB }),
  folder('shared/Team', 400, 2 * MB, { namespace: 'shared', keywords: Array.from({ length: 3 }, (_, i) => `k${i}`) }),
  folder('user.carol.Private', 0, 0, { namespace: 'other', refused: 'Permission denied' }),
];

describe("the estimate and other users' and shared folders", () => {
  it('counts the personal namespace only, untagged folders as personal, and gives the rest apart', () => {
    const e = estimateMailbox(mailbox, exchange);
    expect(e).toMatchObject({ messages: 800, bytes: 10 * MB, uploadMessages: 800, uploadBytes: 10 * MB, oversize: 0, seconds: 200 });
    expect(e.shared).toEqual({ folders: 3, messages: 1200, bytes: 32 * MB, counted: false });
    // A folder that is not copied raises no warning about what the target would do with it.
    expect(e.warnings.filter((w) => w.startsWith('user.'))).toEqual([]);
  });

  it('counts every namespace when the plan includes shared folders', () => {
    const e = estimateMailbox(mailbox, exchange, null, true);
    expect(e).toMatchObject({ messages: 2000, bytes: 42 * MB, oversize: 1, seconds: 500 });
    expect(e.shared).toEqual({ folders: 3, messages: 1200, bytes: 32 * MB, counted: true });
    expect(e.warnings.join('\n')).toMatch(/^user\.bob\.Sent: 1 message\(s\) over/m);
    expect(e.warnings).toContain('user.carol.Private: the source would not open it (Permission denied); its messages are not in the estimate');
  });

  it('has no shared figures where the source has no other namespace (and an old plan gets the same estimate as before)', () => {
    const e = estimateMailbox([folder('INBOX', 40, MB), folder('Sent', 40, MB)], exchange);
    expect(e).toMatchObject({ messages: 80, seconds: 20 });
    expect('shared' in e).toBe(false);
  });

  it('keeps Gmail label copies as overhead, from the folders it counts', () => {
    const gmail = [
      folder('Work', 10, 10 * MB, { namespace: 'personal' }),
      folder('[Gmail]/All Mail', 20, 20 * MB, { namespace: 'personal', labelCopies: 10, labelCopyBytes: 10 * MB }),
    ];
    expect(estimateMailbox(gmail, PRESETS['gmail']!)).toMatchObject({ messages: 30, uploadMessages: 20, uploadBytes: 20 * MB, labelOverheadBytes: 10 * MB });
  });
});

describe('the inventory FETCH answer', () => {
  it('reads size, flags and the Gmail message id; other answers are not messages', () => {
    expect(parseInventoryMeta({ text: '* 3 FETCH (UID 7 RFC822.SIZE 2048 FLAGS (\\Seen $Work) X-GM-MSGID 1278455344230334865)', literals: [] })).toEqual({ size: 2048, flags: ['\\Seen', '$Work'], msgid: '1278455344230334865' });
    expect(parseInventoryMeta({ text: '* 1 FETCH (FLAGS () UID 1 RFC822.SIZE 10)', literals: [] })).toEqual({ size: 10, flags: [], msgid: null });
    // A flag change another session made, announced in between: no size, not a message of the answer.
    expect(parseInventoryMeta({ text: '* 2 FETCH (FLAGS (\\Deleted))', literals: [] })).toBeNull();
    expect(parseInventoryMeta({ text: '* 5 EXISTS', literals: [] })).toBeNull();
  });
});
