import { json, type FakeReply } from '../http/fake-http-server.ts';
import { googleError } from './google-directory-state.ts';

type Person = Record<string, unknown> & { resourceName: string; seq: number; photo?: Buffer };
interface Group { resourceName: string; name: string; groupType: string; etag: string; clientData?: { key: string; value: string }[] }

/**
 * People API per user: connections.list (personFields required, nextPageToken paging, sync tokens with 410 for
 * expired ones), people.createContact, updateContact (etag checked), updateContactPhoto, contactGroups list/create.
 */
export class GooglePeopleState {
  readonly #persons = new Map<string, Map<string, Person>>();
  readonly #groups = new Map<string, Group[]>();
  readonly #baseUrl: () => string;
  /** Largest page served (the real cap is 1000). */
  pageCap = 1000;
  #seq = 1;
  #ids = 1;

  constructor(baseUrl: () => string) {
    this.#baseUrl = baseUrl;
  }

  /** The user's contacts as stored. */
  persons(user: string): Person[] {
    return [...this.#book(user).values()];
  }

  /** The user's contact groups. */
  groups(user: string): Group[] {
    let found = this.#groups.get(user);
    if (!found) {
      found = [{ resourceName: 'contactGroups/myContacts', name: 'myContacts', groupType: 'SYSTEM_CONTACT_GROUP', etag: 'g0' }];
      this.#groups.set(user, found);
    }
    return found;
  }

  /** A stored photo's bytes by person id (the URL People hands out). */
  photo(id: string): Buffer | null {
    for (const book of this.#persons.values()) {
      const p = book.get(`people/${id}`);
      if (p?.photo) return p.photo;
    }
    return null;
  }

  handle(method: string, user: string, path: string, query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    const book = this.#book(user);
    if (path === 'people/me/connections' && method === 'GET') {
      if (!query.get('personFields')) return googleError(400, 'personFields mask is required. Please specify one or more valid paths.', 'invalidArgument');
      const syncToken = query.get('syncToken');
      const since = syncToken ? Number(syncToken.replace(/^p/, '')) : -1;
      const all = [...book.values()].filter((p) => p.seq >= since).sort((a, b) => (a.resourceName < b.resourceName ? -1 : 1));
      const size = Math.min(Number(query.get('pageSize') ?? 100), 1000, this.pageCap);
      const start = Number(query.get('pageToken') ?? 0);
      const more = start + size < all.length;
      const tail = !more && (query.get('requestSyncToken') === 'true' || syncToken) ? { nextSyncToken: `p${this.#seq}` } : {};
      return json(200, { connections: all.slice(start, start + size).map((p) => this.#view(p)), totalPeople: all.length, totalItems: all.length, ...(more ? { nextPageToken: String(start + size) } : tail) });
    }
    if (path === 'people:createContact' && method === 'POST') {
      const person: Person = { ...body, resourceName: `people/c${this.#ids++}`, seq: this.#seq++ };
      const bad = this.#badGroup(user, person);
      if (bad) return bad;
      book.set(person.resourceName, person);
      return json(200, this.#view(person));
    }
    const update = /^(people\/[^:]+):(updateContact|updateContactPhoto)$/.exec(path);
    if (update && method === 'PATCH') {
      const person = book.get(update[1] ?? '');
      if (!person) return googleError(404, 'Requested entity was not found.', 'notFound');
      if (update[2] === 'updateContactPhoto') {
        Object.assign(person, { photo: Buffer.from(String(body['photoBytes'] ?? ''), 'base64'), seq: this.#seq++ });
        return json(200, { person: this.#view(person) });
      }
      const fields = (query.get('updatePersonFields') ?? '').split(',').filter(Boolean);
      if (fields.length === 0) return googleError(400, 'updatePersonFields mask is required.', 'invalidArgument');
      // People rejects a stale etag so two writers never overwrite each other silently.
      if (body['etag'] !== etagOf(person)) return googleError(400, 'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.', 'failedPrecondition');
      for (const f of fields) {
        if (body[f] === undefined) delete person[f];
        else person[f] = body[f];
      }
      const bad = this.#badGroup(user, person);
      if (bad) return bad;
      person.seq = this.#seq++;
      return json(200, this.#view(person));
    }
    // clientData comes back only when groupFields (or readGroupFields) asks for it, as in the People API.
    const fields = (query.get('groupFields') ?? String(body['readGroupFields'] ?? 'name,groupType')).split(',');
    const groupView = (g: Group): Record<string, unknown> => (fields.includes('clientData') ? { ...g } : { ...g, clientData: undefined });
    if (path === 'contactGroups' && method === 'GET') return json(200, { contactGroups: this.groups(user).map(groupView), totalItems: this.groups(user).length });
    const contactGroup = (body['contactGroup'] ?? {}) as Record<string, unknown>;
    if (path === 'contactGroups' && method === 'POST') {
      const name = String(contactGroup['name'] ?? '');
      if (name === '') return googleError(400, 'contactGroup.name is required', 'invalidArgument');
      if (this.groups(user).some((g) => g.name === name)) return googleError(409, 'Contact group name already exists.', 'alreadyExists');
      const group: Group = { resourceName: `contactGroups/g${this.#ids++}`, name, groupType: 'USER_CONTACT_GROUP', etag: `g${this.#seq++}`, ...(Array.isArray(contactGroup['clientData']) ? { clientData: contactGroup['clientData'] as Group['clientData'] } : {}) };
      this.groups(user).push(group);
      return json(200, groupView(group));
    }
    const groupPath = /^(contactGroups\/[^/:]+)(:?.*|\/members:modify)$/.exec(path);
    const group = groupPath ? this.groups(user).find((g) => g.resourceName === groupPath[1]) : undefined;
    if (groupPath && !group) return googleError(404, 'Requested entity was not found.', 'notFound');
    if (group && groupPath?.[2] === '' && method === 'PUT') {
      if (contactGroup['etag'] !== group.etag) return googleError(400, 'Request contactGroup.etag is different than the current one.', 'failedPrecondition');
      Object.assign(group, { name: String(contactGroup['name'] ?? group.name), etag: `g${this.#seq++}`, ...(Array.isArray(contactGroup['clientData']) ? { clientData: contactGroup['clientData'] } : {}) });
      return json(200, groupView(group));
    }
    if (group && groupPath?.[2] === '/members:modify' && method === 'POST') {
      if (group.groupType !== 'USER_CONTACT_GROUP') return googleError(400, 'Cannot modify members of a system group.', 'invalidArgument');
      const change = (names: unknown, on: boolean): void => {
        for (const rn of (names as string[] | undefined) ?? []) {
          const p = book.get(rn);
          if (!p) continue;
          const others = ((p['memberships'] as { contactGroupMembership: { contactGroupResourceName: string } }[] | undefined) ?? []).filter((m) => m.contactGroupMembership.contactGroupResourceName !== group.resourceName);
          p['memberships'] = on ? [...others, { contactGroupMembership: { contactGroupResourceName: group.resourceName } }] : others;
          p.seq = this.#seq++;
        }
      };
      change(body['resourceNamesToAdd'], true);
      change(body['resourceNamesToRemove'], false);
      return json(200, {});
    }
    return googleError(404, `Not Found: ${path}`, 'notFound');
  }

  #book(user: string): Map<string, Person> {
    let book = this.#persons.get(user);
    if (!book) {
      book = new Map();
      this.#persons.set(user, book);
    }
    return book;
  }

  #badGroup(user: string, person: Person): FakeReply | null {
    const memberships = (person['memberships'] as { contactGroupMembership?: { contactGroupResourceName?: string } }[] | undefined) ?? [];
    const known = new Set(this.groups(user).map((g) => g.resourceName));
    const unknown = memberships.find((m) => !known.has(m.contactGroupMembership?.contactGroupResourceName ?? ''));
    return unknown ? googleError(400, 'Contact group resource name is invalid.', 'invalidArgument') : null;
  }

  #view(p: Person): Record<string, unknown> {
    const { seq: _seq, photo, ...rest } = p;
    const id = p.resourceName.split('/')[1];
    return { ...rest, etag: etagOf(p), ...(photo ? { photos: [{ url: `${this.#baseUrl()}/photos/${id}`, metadata: { primary: true } }] } : {}) };
  }
}

function etagOf(p: Person): string {
  return `%E${p.seq}`;
}
