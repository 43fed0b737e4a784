import { describe, expect, it } from 'vitest';
import { GmailMessages } from '../../fakes/google/google-gmail-messages.ts';
import { GraphMailState } from '../../fakes/microsoft/graph-mail-state.ts';

const q = (s: string): URLSearchParams => new URLSearchParams(s);
const body = (reply: { body?: unknown }): Record<string, unknown> => reply.body as Record<string, unknown>;

// The mail halves of the Google and Microsoft fakes answer in the shapes of the Gmail API and Graph v1.0 references.
describe('Gmail users.labels / users.messages fake', () => {
  it('lists ids only, newest first, in maxResults pages with nextPageToken; no `messages` key when empty', () => {
    const gmail = new GmailMessages();
    const empty = gmail.handle('GET', 'u@x.test', ['messages'], q('labelIds=INBOX'), {});
    expect(empty).toEqual({ status: 200, body: { resultSizeEstimate: 0 } });
    const ids = [0, 1, 2].map((i) => gmail.deliver('u@x.test', Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`), ['INBOX', 'Reports']));
    const label = (body(gmail.handle('GET', 'u@x.test', ['labels'], q(''), {})).labels as { id: string; name: string; type: string }[]).find((l) => l.name === 'Reports')!;
    expect(label).toMatchObject({ type: 'user', id: expect.stringMatching(/^Label_/) });
    const first = body(gmail.handle('GET', 'u@x.test', ['messages'], q(`labelIds=${label.id}&maxResults=2`), {}));
    expect(first).toEqual({ messages: [{ id: ids[2], threadId: ids[2] }, { id: ids[1], threadId: ids[1] }], nextPageToken: expect.any(String), resultSizeEstimate: 3 });
    const second = body(gmail.handle('GET', 'u@x.test', ['messages'], q(`labelIds=${label.id}&maxResults=2&pageToken=${first['nextPageToken']}`), {}));
    expect(second).toEqual({ messages: [{ id: ids[0], threadId: ids[0] }], resultSizeEstimate: 3 });
    expect(gmail.handle('GET', 'u@x.test', ['messages'], q('labelIds=INBOX&maxResults=501'), {}).status).toBe(400);
    expect(gmail.handle('GET', 'u@x.test', ['messages'], q('labelIds=Label_nope'), {}).status).toBe(400);
  });

  it('serves format=raw as base64url of the exact bytes; batchModify relabels, refuses unknown labels and over 1,000 ids', () => {
    const gmail = new GmailMessages();
    const bytes = Buffer.from([0x53, 0x3a, 0x20, 0xff, 0xfe, 0x0d, 0x0a, 0x3f, 0x3e]);
    const id = gmail.deliver('u@x.test', bytes);
    const got = body(gmail.handle('GET', 'u@x.test', ['messages', id], q('format=raw'), {}));
    expect(Buffer.compare(Buffer.from(got['raw'] as string, 'base64url'), bytes)).toBe(0);
    expect(got['raw']).not.toMatch(/[+/=]/);
    expect(gmail.handle('GET', 'u@x.test', ['messages', 'nope'], q('format=raw'), {}).status).toBe(404);
    const made = body(gmail.handle('POST', 'u@x.test', ['labels'], q(''), { name: 'Done' }));
    expect(gmail.handle('POST', 'u@x.test', ['labels'], q(''), { name: 'done' }).status).toBe(409);
    expect(gmail.handle('POST', 'u@x.test', ['messages', 'batchModify'], q(''), { ids: [id], addLabelIds: [made['id']], removeLabelIds: ['INBOX'] })).toEqual({ status: 204 });
    expect(gmail.withLabel('u@x.test', 'Done')).toEqual([id]);
    expect(gmail.withLabel('u@x.test', 'INBOX')).toEqual([]);
    expect(gmail.handle('POST', 'u@x.test', ['messages', 'batchModify'], q(''), { ids: [id], addLabelIds: ['Label_999'] }).status).toBe(400);
    expect(gmail.handle('POST', 'u@x.test', ['messages', 'batchModify'], q(''), { ids: Array.from({ length: 1001 }, () => id) }).status).toBe(400);
  });
});

describe('Graph mailFolders / messages fake', () => {
  it('finds folders by well-known name or `displayName eq`, refuses other filters, 409s a taken name', () => {
    const graph = new GraphMailState(() => 'https://graph.test');
    graph.deliver('u@x.test', Buffer.from('Subject: a\r\n\r\nx'), 'DMARC');
    const inbox = body(graph.handle('GET', 'u@x.test', ['mailFolders', 'inbox'], q(''), {}));
    expect(inbox).toMatchObject({ displayName: 'Inbox', id: expect.stringMatching(/^AAMk/) });
    const found = body(graph.handle('GET', 'u@x.test', ['mailFolders'], q("$filter=displayName eq 'dmarc'"), {}));
    expect(found['value']).toEqual([expect.objectContaining({ displayName: 'DMARC', totalItemCount: 1 })]);
    expect(graph.handle('GET', 'u@x.test', ['mailFolders'], q("$filter=startswith(displayName,'D')"), {}).status).toBe(400);
    expect(graph.handle('POST', 'u@x.test', ['mailFolders'], q(''), { displayName: 'DMARC' }).status).toBe(409);
    expect(graph.handle('POST', 'u@x.test', ['mailFolders', inbox['id'] as string, 'childFolders'], q(''), { displayName: 'DMARC' }).status).toBe(201);
  });

  it('pages folder messages by $top with $skip in @odata.nextLink, honours $select, moves with a new id, patches categories', () => {
    const graph = new GraphMailState(() => 'https://graph.test');
    for (let i = 0; i < 3; i += 1) graph.deliver('u@x.test', Buffer.from(`Subject: m${i}\r\n\r\n\xff`, 'latin1'));
    const page = body(graph.handle('GET', 'u@x.test', ['mailFolders', 'inbox', 'messages'], q('$top=2&$select=id,categories'), {}));
    expect(page['value']).toEqual([{ id: expect.any(String), categories: [] }, { id: expect.any(String), categories: [] }]);
    const next = new URL(page['@odata.nextLink'] as string);
    expect(next.searchParams.get('$skip')).toBe('2');
    expect(graph.handle('GET', 'u@x.test', ['mailFolders', 'inbox', 'messages'], q('$top=1001'), {}).status).toBe(400);
    const [first] = page['value'] as { id: string }[];
    const mime = graph.handle('GET', 'u@x.test', ['messages', first!.id, '$value'], q(''), {});
    expect(Buffer.isBuffer(mime.body) && (mime.body as Buffer).at(-1)).toBe(0xff);
    const archive = body(graph.handle('GET', 'u@x.test', ['mailFolders', 'archive'], q(''), {}));
    const moved = body(graph.handle('POST', 'u@x.test', ['messages', first!.id, 'move'], q(''), { destinationId: archive['id'] }));
    expect(moved['id']).not.toBe(first!.id);
    expect(graph.handle('GET', 'u@x.test', ['messages', first!.id], q(''), {}).status).toBe(404);
    expect(graph.handle('PATCH', 'u@x.test', ['messages', moved['id'] as string], q(''), { categories: ['Red'] }).status).toBe(200);
    expect(graph.inFolder('u@x.test', 'archive')).toEqual([{ id: moved['id'], subject: expect.stringMatching(/^m\d$/), categories: ['Red'] }]);
    expect(graph.handle('PATCH', 'u@x.test', ['messages', moved['id'] as string], q(''), { categories: 'Red' }).status).toBe(400);
  });
});
