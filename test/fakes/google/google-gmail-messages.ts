import { type FakeReply, json } from '../http/fake-http-server.ts';
import { googleError } from './google-directory-state.ts';

/** A Gmail label as users.labels returns it. */
interface Label { id: string; name: string; type: 'system' | 'user'; messageListVisibility?: string; labelListVisibility?: string }
interface Message { id: string; threadId: string; labelIds: Set<string>; raw: Buffer; internalDate: number }

// The system labels every mailbox has (users.labels.list on a fresh account).
const SYSTEM = ['INBOX', 'SPAM', 'TRASH', 'UNREAD', 'STARRED', 'IMPORTANT', 'SENT', 'DRAFT', 'CATEGORY_PERSONAL'];

/**
 * users.labels and users.messages on loopback, in the shapes of the Gmail API reference: labels list/create (409 on a
 * taken name), messages.list by labelIds (ids only, maxResults ≤ 500, nextPageToken, `messages` absent when empty),
 * messages.get format=raw (base64url) and messages.batchModify (≤ 1,000 ids, 204, unknown label 400).
 */
export class GmailMessages {
  readonly #labels = new Map<string, Label[]>();
  readonly #messages = new Map<string, Message[]>();
  #next = 1;

  /** Delivers a message to `user` with the given label names or ids (INBOX when none). */
  deliver(user: string, raw: Buffer, labels: readonly string[] = ['INBOX']): string {
    const ids = labels.map((l) => this.#label(user, l)?.id ?? this.#create(user, l).id);
    const id = (0x18c0000000 + this.#next++).toString(16);
    this.#box(user).push({ id, threadId: id, labelIds: new Set(ids), raw, internalDate: Date.now() });
    return id;
  }

  /** Ids of `user`'s messages carrying the label (by name or id), in delivery order. */
  withLabel(user: string, label: string): string[] {
    const id = this.#label(user, label)?.id;
    return id === undefined ? [] : this.#box(user).filter((m) => m.labelIds.has(id)).map((m) => m.id);
  }

  /** Serves users/{user}/(labels|messages)…; `rest` is the path after the user. */
  handle(method: string, user: string, rest: readonly string[], query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    const [collection, id, action] = rest;
    if (collection === 'labels' && id === undefined) {
      if (method === 'GET') return json(200, { labels: this.#labelsOf(user) });
      if (method === 'POST') {
        const name = String(body['name'] ?? '').trim();
        if (!name) return googleError(400, 'Invalid label name', 'invalidArgument');
        if (this.#label(user, name)) return googleError(409, 'Label name exists or conflicts', 'duplicate');
        const label = this.#create(user, name);
        if (typeof body['labelListVisibility'] === 'string') label.labelListVisibility = body['labelListVisibility'];
        if (typeof body['messageListVisibility'] === 'string') label.messageListVisibility = body['messageListVisibility'];
        return json(200, label);
      }
    }
    if (collection !== 'messages') return googleError(404, 'Not Found', 'notFound');
    if (method === 'GET' && id === undefined) return this.#list(user, query);
    if (method === 'POST' && id === 'batchModify') return this.#batchModify(user, body);
    const message = this.#box(user).find((m) => m.id === id);
    if (!message) return googleError(404, 'Requested entity was not found.', 'notFound');
    if (method === 'GET' && action === undefined) {
      const format = query.get('format') ?? 'full';
      if (format !== 'raw') return googleError(400, 'This fake serves format=raw only', 'invalidArgument');
      return json(200, {
        id: message.id, threadId: message.threadId, labelIds: [...message.labelIds], snippet: '', sizeEstimate: message.raw.length,
        historyId: String(1000 + this.#next), internalDate: String(message.internalDate), raw: message.raw.toString('base64url'),
      });
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #list(user: string, query: URLSearchParams): FakeReply {
    const wanted = query.getAll('labelIds');
    const unknown = wanted.find((l) => !this.#labelsOf(user).some((x) => x.id === l));
    if (unknown) return googleError(400, `Invalid label: ${unknown}`, 'invalidArgument');
    const maxResults = Number(query.get('maxResults') ?? 100);
    if (!(maxResults >= 1 && maxResults <= 500)) return googleError(400, 'Invalid maxResults', 'invalidArgument');
    // Newest first, as Gmail lists.
    const rows = [...this.#box(user)].reverse().filter((m) => wanted.every((l) => m.labelIds.has(l)) && (wanted.includes('TRASH') || !m.labelIds.has('TRASH')));
    const start = Number(query.get('pageToken') ?? 0);
    const page = rows.slice(start, start + maxResults).map((m) => ({ id: m.id, threadId: m.threadId }));
    return json(200, { ...(page.length ? { messages: page } : {}), ...(start + maxResults < rows.length ? { nextPageToken: String(start + maxResults) } : {}), resultSizeEstimate: rows.length });
  }

  #batchModify(user: string, body: Record<string, unknown>): FakeReply {
    const ids = Array.isArray(body['ids']) ? (body['ids'] as string[]) : [];
    if (ids.length === 0 || ids.length > 1000) return googleError(400, 'ids must hold 1 to 1000 message ids', 'invalidArgument');
    const add = (body['addLabelIds'] ?? []) as string[];
    const remove = (body['removeLabelIds'] ?? []) as string[];
    const known = new Set(this.#labelsOf(user).map((l) => l.id));
    const bad = [...add, ...remove].find((l) => !known.has(l));
    if (bad) return googleError(400, `Invalid label: ${bad}`, 'invalidArgument');
    for (const m of this.#box(user)) {
      if (!ids.includes(m.id)) continue;
      for (const l of add) m.labelIds.add(l);
      for (const l of remove) m.labelIds.delete(l);
    }
    return { status: 204 };
  }

  #box(user: string): Message[] {
    const key = user.toLowerCase();
    if (!this.#messages.has(key)) this.#messages.set(key, []);
    return this.#messages.get(key)!;
  }

  #labelsOf(user: string): Label[] {
    const key = user.toLowerCase();
    if (!this.#labels.has(key)) this.#labels.set(key, SYSTEM.map((id) => ({ id, name: id, type: 'system' })));
    return this.#labels.get(key)!;
  }

  #label(user: string, nameOrId: string): Label | undefined {
    return this.#labelsOf(user).find((l) => l.id === nameOrId || l.name.toLowerCase() === nameOrId.toLowerCase());
  }

  #create(user: string, name: string): Label {
    const label: Label = { id: `Label_${this.#next++}`, name, type: 'user' };
    this.#labelsOf(user).push(label);
    return label;
  }
}
