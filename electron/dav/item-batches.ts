import type { DavCollectionInfo } from '../../shared/domain/dav.ts';
import type { DavAccount, DavItem } from './dav-client.ts';

/** Items fetched at a time: one multiget request, as the copy writes and reads them back. */
export const ITEM_BATCH = 50;

/**
 * A collection's items a batch at a time: a side that lists URLs sends each batch by multiget, so memory holds one batch
 * of cards (photos of 100 KB each), never the whole address book; a side without a listing (Google, Microsoft 365) pages
 * its own API and is cut into batches afterwards.
 */
export async function* itemBatches(account: DavAccount, collection: DavCollectionInfo): AsyncGenerator<DavItem[]> {
  if (!account.list) {
    const all = await account.items(collection);
    for (let i = 0; i < all.length; i += ITEM_BATCH) yield all.slice(i, i + ITEM_BATCH);
    return;
  }
  const urls = await account.list(collection);
  for (let i = 0; i < urls.length; i += ITEM_BATCH) yield await account.items(collection, urls.slice(i, i + ITEM_BATCH));
}
