import { createHash } from 'node:crypto';
import type { DavCollectionInfo, DavCollectionReport, DavConversion, DavItemFailure } from '../../shared/domain/dav.ts';
import { canonicalForm, DavItemParseError, differingProperties, ignoring, itemKey, NotCarriedError } from './dav-canonical.ts';
import type { DavAccount, DavItem } from './dav-client.ts';
import type { DavState } from './dav-state.ts';
import { ITEM_BATCH, itemBatches } from './item-batches.ts';
import type { WriteSlots } from './write-slots.ts';

/** One collection to copy: its source, the target collection it maps to, and the job's state. */
export interface CollectionCopyInput {
  readonly source: DavAccount;
  readonly target: DavAccount;
  readonly collection: DavCollectionInfo;
  readonly targetUrl: string;
  /** The target collection was made by this run: it holds nothing yet and has no tag worth asking for. */
  readonly created?: boolean;
  readonly state: DavState;
  /** The job's bound on writes in flight, shared with the collections copied beside this one. */
  readonly writes: WriteSlots;
  readonly signal?: AbortSignal;
  /** Called after each item with the running counts. */
  readonly onItem?: (counts: { copied: number; unchanged: number; failed: number }) => void;
}

/** A collection's report with its failures and warnings. */
export interface CollectionCopyResult {
  readonly report: DavCollectionReport;
  readonly failures: DavItemFailure[];
  readonly warnings: string[];
}

/**
 * Copies every item of one calendar or address book, keyed by UID so a re-run or a resumed run
 * never adds a second copy: an item goes to the name its write-ahead row fixed, or to the target
 * item that already has its UID. Each write is read back and compared in canonical form.
 * When both change tags equal those of the last clean pass, nothing is listed at all.
 */
export async function copyCollection(input: CollectionCopyInput): Promise<CollectionCopyResult> {
  const { source, target, collection, targetUrl, state } = input;
  const failures: DavItemFailure[] = [];
  const warnings: string[] = [];
  const base = { kind: collection.kind, sourceName: collection.displayName, targetUrl };
  const stored = state.collection(collection.url);
  const [sourceTag, targetTag] = await Promise.all([source.changeTag(collection, stored?.sourceTag), input.created ? null : target.changeTag({ ...collection, url: targetUrl }, stored?.targetTag)]);
  const records = state.items(collection.url);
  if (stored && sourceTag !== null && targetTag !== null && stored.sourceTag === sourceTag && stored.targetTag === targetTag) {
    const done = [...records.values()].filter((r) => r.state === 'done').length;
    return { report: { ...base, sourceCount: done + stored.notCarried, copied: 0, unchanged: done, failed: 0, skippedByChangeTag: true, notCarried: stored.notCarried, conversions: stored.conversions }, failures, warnings };
  }
  const ignore = ignoring(target.stamps ?? []);
  const conversions = new Map<string, DavConversion>();
  const note = (field: string, rule: string): void => {
    const seen = conversions.get(field);
    conversions.set(field, { field, rule, items: (seen?.items ?? 0) + 1 });
  };
  // What the target will hold of an item (the item itself on a DAV server); every difference is listed by its rule.
  const expected = (data: string): string => {
    if (!target.adapt) return data;
    const adapted = target.adapt(collection.kind, data, targetUrl);
    if (adapted === data) return data;
    for (const field of differingProperties(data, adapted, 100, ignore)) note(field, ruleFor(target.rules ?? {}, field));
    return adapted;
  };
  state.saveCollection(collection.url, targetUrl, stored?.sourceTag ?? null, stored?.targetTag ?? null, { conversions: stored?.conversions ?? [], notCarried: stored?.notCarried ?? 0 });

  const onTarget = input.created ? new Map<string, { url: string; hash: string }>() : await indexByKey(itemBatches(target, { ...collection, url: targetUrl }), warnings, 'target', ignore);
  // Group cards go last: a side that keeps membership on the members (Google contact groups) needs them written first.
  const isGroup = (item: DavItem): boolean => /^(X-ADDRESSBOOKSERVER-)?KIND:group\r?$/im.test(item.data);
  const seen = new Set<string>();
  const counts = { copied: 0, unchanged: 0, failed: 0 };
  let notCarried = 0;
  const fail = (key: string, href: string, etag: string | null, reason: string): void => {
    counts.failed++;
    failures.push({ collection: collection.displayName, uid: key, reason });
    state.failed(collection.url, key, href, etag, reason);
  };

  // Decides what an item needs; returns the write to make, or null when nothing is to be written.
  const plan = (item: DavItem): { key: string; href: string; item: DavItem; canonical: string } | null => {
    const name = lastSegment(item.url);
    let key: string;
    let canonical: string;
    try {
      key = itemKey(item.data, name).key;
      canonical = canonicalForm(expected(item.data), ignore);
    } catch (error) {
      if (error instanceof NotCarriedError) {
        notCarried++;
        note(error.field, error.message);
        return null;
      }
      if (!(error instanceof DavItemParseError)) throw error;
      counts.failed++;
      failures.push({ collection: collection.displayName, uid: `name:${name}`, reason: `the source item ${name} is ${error.message}; not copied` });
      return null;
    }
    if (seen.has(key)) {
      counts.failed++;
      failures.push({ collection: collection.displayName, uid: key, reason: `a second source item (${name}) has the same UID; a target collection keeps one item per UID` });
      return null;
    }
    seen.add(key);
    const record = records.get(key);
    const existing = onTarget.get(key);
    if (record?.state === 'done' && record.sourceEtag !== null && record.sourceEtag === item.etag && existing) {
      counts.unchanged++;
      return null;
    }
    if (existing && existing.hash === hashOf(canonical)) {
      state.done(collection.url, key, existing.url, item.etag);
      counts.unchanged++;
      return null;
    }
    return { key, item, canonical, href: record?.targetHref ?? existing?.url ?? new URL(targetName(name, key, collection.kind), targetUrl).href };
  };

  const copyBatch = async (batch: readonly DavItem[]): Promise<void> => {
    input.signal?.throwIfAborted();
    // One commit holds the batch's intents: every row is on disk before the first of its writes leaves.
    const writes = state.batch(() => {
      const planned = batch.map(plan).filter((w) => w !== null);
      for (const write of planned) state.writing(collection.url, write.key, write.href, write.item.etag);
      return planned;
    });
    const written: typeof writes = [];
    await Promise.all(
      writes.map((write) =>
        input.writes.run(async () => {
          try {
            await target.put(write.href, collection.kind, write.item.data);
            written.push(write);
          } catch (error) {
            fail(write.key, write.href, write.item.etag, (error as Error).message);
          }
        }),
      ),
    );
    // One multiget reads the batch back; each copy is compared with its source in canonical form.
    const back = new Map((await target.items({ ...collection, url: targetUrl }, written.map((w) => w.href))).map((b) => [pathOf(b.url), b]));
    state.batch(() => {
      for (const write of written) {
        const copy = back.get(pathOf(write.href));
        if (!copy) fail(write.key, write.href, write.item.etag, 'the target accepted the item but does not return it');
        else if (canonicalForm(copy.data, ignore) !== write.canonical) fail(write.key, write.href, write.item.etag, `the target altered the item: ${differingProperties(target.adapt ? target.adapt(collection.kind, write.item.data, targetUrl) : write.item.data, copy.data, 5, ignore).join(', ') || 'its structure'} differ`);
        else {
          state.done(collection.url, write.key, write.href, write.item.etag);
          counts.copied++;
        }
      }
    });
    input.onItem?.({ ...counts });
  };
  // Group cards are few and small (no photos): they wait in memory until every other item is written.
  const groups: DavItem[] = [];
  let sourceCount = 0;
  for await (const batch of itemBatches(source, collection)) {
    sourceCount += batch.length;
    groups.push(...batch.filter(isGroup));
    await copyBatch(batch.filter((item) => !isGroup(item)));
  }
  for (let i = 0; i < groups.length; i += ITEM_BATCH) await copyBatch(groups.slice(i, i + ITEM_BATCH));
  if (counts.failed === 0) state.saveCollection(collection.url, targetUrl, sourceTag, await target.changeTag({ ...collection, url: targetUrl }, targetTag), { conversions: [...conversions.values()], notCarried });
  return { report: { ...base, sourceCount, ...counts, skippedByChangeTag: false, notCarried, conversions: [...conversions.values()] }, failures, warnings };
}

// The target's items by key, with a digest of their canonical form; an unparseable target item is only a warning.
async function indexByKey(batches: AsyncIterable<DavItem[]>, warnings: string[], side: string, ignore: ReadonlySet<string>): Promise<Map<string, { url: string; hash: string }>> {
  const byKey = new Map<string, { url: string; hash: string }>();
  for await (const items of batches) {
    for (const item of items) {
      try {
        byKey.set(itemKey(item.data, lastSegment(item.url)).key, { url: item.url, hash: hashOf(canonicalForm(item.data, ignore)) });
      } catch (error) {
        warnings.push(`${side} item ${item.url} is ${(error as Error).message}; left as it is`);
      }
    }
  }
  return byKey;
}

function hashOf(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

function pathOf(url: string): string {
  return decodeURIComponent(new URL(url, 'http://x/').pathname);
}

/** The last path segment of a URL, decoded (an item's or a collection's own name). */
export function lastSegment(url: string): string {
  return decodeURIComponent(new URL(url, 'http://x/').pathname.replace(/\/$/, '').split('/').pop() ?? '');
}

// The source's own file name where it is plain; otherwise a name derived from the key, stable across runs.
function targetName(sourceName: string, key: string, kind: DavCollectionInfo['kind']): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/.test(sourceName)) return sourceName;
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}${kind === 'calendar' ? '.ics' : '.vcf'}`;
}

// The rule a side states for a field: the longest rule key the field's path ends with.
function ruleFor(rules: Readonly<Record<string, string>>, field: string): string {
  const parts = field.split('/');
  for (let i = 0; i < parts.length; i++) {
    const rule = rules[parts.slice(i).join('/')];
    if (rule) return rule;
  }
  return 'the target has no field for it: not kept';
}
