import type { MigrationDavInventory } from '../../shared/domain/migration.ts';
import { cloudSideProblem, openSavedCloudSide, parseCloudSide, type SavedConnections } from '../dav/cloud-side.ts';
import type { DavCollectionInfo } from '../../shared/domain/dav.ts';
import type { DavAccount, DavEndpoint } from '../dav/dav-client.ts';
import { davUrlProblem } from '../dav/dav-url.ts';
import { itemBatches } from '../dav/item-batches.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';

/** The DAV account of a pair side: the URL's user when it names one, else the IMAP user; the IMAP password either way. */
export function davEndpoint(text: string, imapUser: string, password: string): DavEndpoint {
  const url = new URL(text);
  const user = url.username !== '' ? decodeURIComponent(url.username) : imapUser;
  url.username = '';
  return { url: url.href, user, password };
}

/**
 * Why a pair's source_dav/target_dav cannot be used, or null: a CalDAV/CardDAV URL, or a
 * google:CONNECTION/user / m365:CONNECTION/user side naming a saved connection of that kind.
 */
export function davSideProblem(text: string, connections: Pick<SavedConnections, 'find'> | null): string | null {
  const cloud = parseCloudSide(text);
  if (cloud === null) return davUrlProblem(text);
  if (!connections) return `"${text}" names a saved connection, which a plan on its own database cannot use; plan it in the console or without --state.`;
  return cloudSideProblem(connections, cloud);
}

/**
 * Opens one DAV side of a pair: a google:/m365: side through its saved connection's delegation, a
 * DAV URL with that side's IMAP login (a password; an OAuth token cannot log in to DAV).
 */
export async function openDavSide(text: string, imap: Pick<ImapEndpoint, 'user' | 'auth'>, connections: SavedConnections | null): Promise<DavAccount | string> {
  const cloud = parseCloudSide(text);
  if (typeof cloud === 'string') return cloud;
  if (cloud) return connections ? openSavedCloudSide(connections, cloud) : `"${text}" names a saved connection, and none are at hand here.`;
  if (!('password' in imap.auth)) return `${text} logs in with the IMAP password, and this side has an OAuth token instead; name a google:/m365: side.`;
  // The DAV client (tsdav, ical.js) loads when a side is opened, not with the migration services every command composes.
  const { openDavAccount } = await import('../dav/dav-client.ts');
  return openDavAccount(davEndpoint(text, imap.user, imap.auth.password));
}

/** The account's calendars and address books with their item counts and sizes; a failure becomes the inventory's error, never a throw. */
export async function discoverDav(open: () => Promise<DavAccount | string>, label: string): Promise<MigrationDavInventory> {
  try {
    const account = await open();
    if (typeof account === 'string') return { collections: [], error: `${label}: ${account}` };
    const collections = await account.collections();
    const counted = [];
    for (const c of collections) counted.push({ kind: c.kind, displayName: c.displayName, url: c.url, ...(await measureCollection(account, c)) });
    return { collections: counted, error: null };
  } catch (e) {
    return { collections: [], error: `${label}: ${(e as Error).message}` };
  }
}

// A collection's item count and bytes without holding its items' data: the server's stored sizes when it gives one for every
// item, else the items read a batch at a time.
async function measureCollection(account: DavAccount, collection: DavCollectionInfo): Promise<{ items: number; bytes: number }> {
  const sizes = account.sizes ? await account.sizes(collection) : null;
  if (sizes?.every((s) => s.bytes !== null)) return { items: sizes.length, bytes: sizes.reduce((n, s) => n + s.bytes!, 0) };
  let items = 0;
  let bytes = 0;
  for await (const batch of itemBatches(account, collection)) {
    items += batch.length;
    bytes += batch.reduce((n, i) => n + Buffer.byteLength(i.data), 0);
  }
  return { items, bytes };
}
