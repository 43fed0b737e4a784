import type { MigrationDavInventory } from '../../shared/domain/migration.ts';
import { openDavAccount, type DavEndpoint } from '../dav/dav-client.ts';

/** The DAV account of a pair side: the URL's user when it names one, else the IMAP user; the IMAP password either way. */
export function davEndpoint(text: string, imapUser: string, password: string): DavEndpoint {
  const url = new URL(text);
  const user = url.username !== '' ? decodeURIComponent(url.username) : imapUser;
  url.username = '';
  return { url: url.href, user, password };
}

/** The account's calendars and address books with their item counts; a failure becomes the inventory's error, never a throw. */
export async function discoverDav(endpoint: DavEndpoint): Promise<MigrationDavInventory> {
  try {
    const account = await openDavAccount(endpoint);
    const collections = await account.collections();
    const counted = [];
    for (const c of collections) counted.push({ kind: c.kind, displayName: c.displayName, url: c.url, items: (await account.items(c)).length });
    return { collections: counted, error: null };
  } catch (e) {
    return { collections: [], error: `${endpoint.user} at ${endpoint.url}: ${(e as Error).message}` };
  }
}
