import { randomBytes } from 'node:crypto';
import { type FakeReply, json } from '../http/fake-http-server.ts';
import { graphError } from './graph-directory-state.ts';

interface Folder { id: string; displayName: string; parentFolderId: string; wellKnown: string | null }
interface Message { id: string; folderId: string; subject: string; categories: string[]; mime: Buffer; receivedDateTime: string }

// The folders every Exchange mailbox has, addressable by these well-known names (mailFolder resource).
const WELL_KNOWN: Record<string, string> = { inbox: 'Inbox', archive: 'Archive', deleteditems: 'Deleted Items', junkemail: 'Junk Email', sentitems: 'Sent Items', drafts: 'Drafts' };
const newId = (): string => `AAMkAGI2${randomBytes(24).toString('base64url')}`;

/**
 * One mailbox's folders and messages as Microsoft Graph v1.0 serves them: mailFolders (well-known names, `$filter=displayName eq`,
 * childFolders, create with 409 ErrorFolderExists), folder messages paged by `$top` (≤ 1,000) and `$skip` in @odata.nextLink,
 * `$select`, the MIME content at /messages/{id}/$value, PATCH of categories, and move (which gives the message a new id, as Exchange does).
 */
export class GraphMailState {
  readonly #folders = new Map<string, Folder[]>();
  readonly #messages = new Map<string, Message[]>();
  readonly #base: () => string;

  constructor(base: () => string) {
    this.#base = base;
  }

  /** Delivers a message to `user`'s folder (a well-known name or display name; Inbox when not given); returns its id. */
  deliver(user: string, mime: Buffer, folder = 'inbox'): string {
    const target = this.#find(user, folder) ?? this.#create(user, folder, this.#root(user));
    const subject = /^Subject:[ \t]*(.*)$/im.exec(mime.subarray(0, 8192).toString('latin1'))?.[1] ?? '';
    const message: Message = { id: newId(), folderId: target.id, subject, categories: [], mime, receivedDateTime: new Date().toISOString() };
    this.#box(user).push(message);
    return message.id;
  }

  /** `user`'s messages in a folder (by well-known or display name), with their categories. */
  inFolder(user: string, folder: string): { id: string; subject: string; categories: string[] }[] {
    const f = this.#find(user, folder);
    return f ? this.#box(user).filter((m) => m.folderId === f.id).map(({ id, subject, categories }) => ({ id, subject, categories: [...categories] })) : [];
  }

  /** Serves users/{user}/(mailFolders|messages)…; `rest` is the path after the user. */
  handle(method: string, user: string, rest: readonly string[], query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    const [collection, key, sub, subKey] = rest;
    if (collection === 'mailFolders') {
      if (key === undefined) return method === 'POST' ? this.#post(user, this.#root(user), body) : this.#children(user, this.#root(user), query);
      const folder = this.#byKey(user, key);
      if (!folder) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      if (sub === undefined && method === 'GET') return json(200, this.#folderView(user, folder));
      if (sub === 'childFolders') return method === 'POST' ? this.#post(user, folder.id, body) : this.#children(user, folder.id, query);
      if (sub === 'messages' && subKey === undefined && method === 'GET') return this.#list(user, folder, query);
      return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
    }
    if (collection !== 'messages' || key === undefined) return graphError(400, 'ErrorInvalidRequest', 'Unsupported resource');
    const message = this.#box(user).find((m) => m.id === key);
    if (!message) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (sub === '$value' && method === 'GET') return { status: 200, body: message.mime, headers: { 'content-type': 'text/plain' } };
    if (sub === 'move' && method === 'POST') {
      const target = this.#byKey(user, String(body['destinationId'] ?? ''));
      if (!target) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      message.folderId = target.id;
      message.id = newId();
      return json(201, this.#messageView(message, null));
    }
    if (sub === undefined && method === 'PATCH') {
      if (body['categories'] !== undefined) {
        if (!Array.isArray(body['categories']) || body['categories'].some((c) => typeof c !== 'string')) return graphError(400, 'ErrorInvalidProperty', 'categories is a collection of strings.');
        message.categories = [...(body['categories'] as string[])];
      }
      return json(200, this.#messageView(message, null));
    }
    if (sub === undefined && method === 'GET') return json(200, this.#messageView(message, query.get('$select')));
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }

  #list(user: string, folder: Folder, query: URLSearchParams): FakeReply {
    const top = Number(query.get('$top') ?? 10);
    if (!(top >= 1 && top <= 1000)) return graphError(400, 'ErrorInvalidArgument', '$top must be between 1 and 1000.');
    const skip = Number(query.get('$skip') ?? 0);
    const rows = this.#box(user).filter((m) => m.folderId === folder.id).reverse();
    const next = new URLSearchParams(query);
    next.set('$skip', String(skip + top));
    const path = `users/${encodeURIComponent(user)}/mailFolders/${folder.id}/messages`;
    return json(200, {
      '@odata.context': `${this.#base()}/v1.0/$metadata#users('${user}')/mailFolders('${folder.id}')/messages`,
      value: rows.slice(skip, skip + top).map((m) => this.#messageView(m, query.get('$select'))),
      ...(skip + top < rows.length ? { '@odata.nextLink': `${this.#base()}/v1.0/${path}?${next}` } : {}),
    });
  }

  #children(user: string, parent: string, query: URLSearchParams): FakeReply {
    const filter = query.get('$filter');
    let rows = this.#foldersOf(user).filter((f) => f.parentFolderId === parent);
    if (filter !== null) {
      const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!m) return graphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
      const name = (m[1] ?? '').replace(/''/g, "'");
      rows = rows.filter((f) => f.displayName.toLowerCase() === name.toLowerCase());
    }
    return json(200, { value: rows.map((f) => this.#folderView(user, f)) });
  }

  #post(user: string, parent: string, body: Record<string, unknown>): FakeReply {
    const name = String(body['displayName'] ?? '').trim();
    if (!name) return graphError(400, 'ErrorInvalidRequest', 'displayName is required.');
    if (this.#foldersOf(user).some((f) => f.parentFolderId === parent && f.displayName.toLowerCase() === name.toLowerCase())) {
      return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
    }
    return json(201, this.#folderView(user, this.#create(user, name, parent)));
  }

  #folderView(user: string, f: Folder): Record<string, unknown> {
    const inside = this.#box(user).filter((m) => m.folderId === f.id).length;
    const children = this.#foldersOf(user).filter((c) => c.parentFolderId === f.id).length;
    return { id: f.id, displayName: f.displayName, parentFolderId: f.parentFolderId, childFolderCount: children, unreadItemCount: inside, totalItemCount: inside, isHidden: false };
  }

  #messageView(m: Message, select: string | null): Record<string, unknown> {
    const full: Record<string, unknown> = { id: m.id, subject: m.subject, receivedDateTime: m.receivedDateTime, parentFolderId: m.folderId, categories: m.categories, hasAttachments: true, flag: { flagStatus: 'notFlagged' } };
    if (select === null) return full;
    return Object.fromEntries(select.split(',').map((k) => [k.trim(), full[k.trim()]]).filter(([, v]) => v !== undefined));
  }

  #byKey(user: string, key: string): Folder | undefined {
    return this.#foldersOf(user).find((f) => f.id === key || f.wellKnown === key.toLowerCase());
  }

  #find(user: string, name: string): Folder | undefined {
    return this.#byKey(user, name) ?? this.#foldersOf(user).find((f) => f.displayName.toLowerCase() === name.toLowerCase());
  }

  #root(user: string): string {
    return this.#foldersOf(user)[0]!.parentFolderId;
  }

  #create(user: string, displayName: string, parentFolderId: string, wellKnown: string | null = null): Folder {
    const folder: Folder = { id: newId(), displayName, parentFolderId, wellKnown };
    this.#foldersOf(user).push(folder);
    return folder;
  }

  #foldersOf(user: string): Folder[] {
    const key = user.toLowerCase();
    let list = this.#folders.get(key);
    if (!list) {
      const root = newId();
      list = Object.entries(WELL_KNOWN).map(([wellKnown, displayName]) => ({ id: newId(), displayName, parentFolderId: root, wellKnown }));
      this.#folders.set(key, list);
    }
    return list;
  }

  #box(user: string): Message[] {
    const key = user.toLowerCase();
    if (!this.#messages.has(key)) this.#messages.set(key, []);
    return this.#messages.get(key)!;
  }
}
