import { type FakeReply, json } from '../http/fake-http-server.ts';
import { googleError } from './google-directory-state.ts';

/** A Gmail filter as users.settings.filters returns it (criteria and action as Google publishes them). */
export interface GmailFilter {
  readonly id: string;
  readonly criteria: Readonly<Record<string, unknown>>;
  readonly action: { readonly addLabelIds?: readonly string[]; readonly removeLabelIds?: readonly string[]; readonly forward?: string };
}

/**
 * users.settings.filters on loopback: list (one answer, `{ filter: [...] }`, the key absent when there are none, as
 * Gmail answers), get, create and delete. A forward action needs a verified forwarding address, as in Gmail.
 */
export class GmailFilters {
  readonly #byUser = new Map<string, GmailFilter[]>();
  #next = 1;

  /** Adds a filter directly, as the user would in Gmail's settings. */
  seed(user: string, filter: Omit<GmailFilter, 'id'>): GmailFilter {
    const made = { id: `ANe1Bmj${this.#next++}`, ...filter };
    this.#byUser.set(user.toLowerCase(), [...(this.#byUser.get(user.toLowerCase()) ?? []), made]);
    return made;
  }

  /** Answers one request for `user`'s filters; `verified` says whether a forwarding address is accepted. */
  handle(method: string, user: string, id: string | undefined, body: Record<string, unknown>, verified: (email: string) => boolean): FakeReply {
    const list = this.#byUser.get(user) ?? [];
    if (method === 'GET' && id === undefined) return json(200, list.length ? { filter: list } : {});
    if (method === 'GET') {
      const found = list.find((f) => f.id === id);
      return found ? json(200, found) : googleError(404, 'Filter not found', 'notFound');
    }
    if (method === 'POST' && id === undefined) {
      const action = (body['action'] ?? {}) as GmailFilter['action'];
      const criteria = (body['criteria'] ?? {}) as GmailFilter['criteria'];
      if (Object.keys(criteria).length === 0) return googleError(400, 'Filter doesn\'t have any criteria', 'invalidArgument');
      if (action.forward && !verified(action.forward.toLowerCase())) return googleError(400, 'Unverified forwarding address', 'failedPrecondition');
      return json(200, this.seed(user, { criteria, action }));
    }
    if (method === 'DELETE' && id !== undefined) {
      if (!list.some((f) => f.id === id)) return googleError(404, 'Filter not found', 'notFound');
      this.#byUser.set(user, list.filter((f) => f.id !== id));
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }
}
