import { parseImapDate } from '../imap/fetch-parse.ts';
import { decodeMutf7, encodeMutf7 } from '../imap/mutf7.ts';
import { releaseLiteral, type RawResponse } from '../imap/response-reader.ts';
import { imapQuote } from '../imap/syntax.ts';
import type { AppendOutcome } from './append-connection.ts';
import { untilAborted } from './copy-deadlines.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { CopyContext } from './folder-copier.ts';
import { mapFolder, type FolderMapping, type FolderRule, type TargetLayout } from './folder-map.ts';
import { filterFlags } from './flags.ts';
import { labelsToStore, placeLabels, type GmailLabelRule, type Place } from './gmail-labels.ts';
import { GmailState, type GmailCopyRow } from './gmail-state.ts';
import { KeyMatcher, keyFromBody } from './message-key.ts';
import { fetchFolderKeys, uidSet } from './message-meta.ts';
import type { FolderVerification } from './verify.ts';

// Uploads sent and not yet answered; the bytes they hold are bounded by the run's body budget.
const MAX_IN_FLIGHT = 32;

/** One All Mail message's metadata. */
interface GmailMeta {
  readonly uid: number;
  readonly msgid: string;
  readonly labels: string[];
  readonly flags: string[];
  readonly internalDate: Date | null;
  readonly size: number;
}

/** The All Mail line of the report, and each message not copied with its reason. */
export interface GmailOutcome {
  readonly verification: FolderVerification;
  readonly failures: readonly { sourcePath: string; uid: number; size: number; errorCode: string; errorMessage: string }[];
}

/** What the Gmail pass needs beyond the run's copy context. */
export interface GmailPass {
  readonly ctx: CopyContext;
  readonly state: GmailState;
  readonly mapping: FolderMapping;
  readonly rule: GmailLabelRule;
  readonly layout: TargetLayout;
  readonly rules: readonly FolderRule[];
  /** The target speaks X-GM-EXT-1: one APPEND, then STORE +X-GM-LABELS. */
  readonly targetGmail: boolean;
  readonly targetRaw: () => Promise<FetchConnection | null>;
}

/**
 * Copies a Gmail source from [Gmail]/All Mail: every message once (by X-GM-MSGID), placed by its
 * X-GM-LABELS (gmail-labels.ts). Each place is a write-ahead row: re-runs and kill -9 upload nothing twice.
 */
export async function copyGmailAllMail(pass: GmailPass): Promise<GmailOutcome> {
  const { ctx, state } = pass;
  state.retryFailed();
  const fetcher = await ctx.borrowFetcher();
  try {
    await fetcher.examine(pass.mapping.sourcePath);
    const metas = await fetchGmailMeta(fetcher);
    const byMsgid = new Map(metas.map((m) => [m.msgid, m]));
    const places = new Map(metas.map((m) => [m.msgid, placeLabels(m.labels, pass.rule)]));
    const resolve = (p: Place): string => targetPathOf(p, pass);
    state.plan(
      metas.flatMap((m) => {
        const pl = places.get(m.msgid)!;
        const appends = pass.targetGmail ? [pl.primary] : [pl.primary, ...pl.extra];
        const rows = appends.map((p): { msgid: string; targetPath: string; step: 'append' | 'labels' } => ({ msgid: m.msgid, targetPath: resolve(p), step: 'append' }));
        if (pass.targetGmail && labelsToStore(m.labels, pl.primary).length > 0) rows.push({ msgid: m.msgid, targetPath: `${resolve(pl.primary)}#labels`, step: 'labels' });
        return rows;
      }),
    );
    if (!ctx.dryRun) {
      await createFolders(pass, [...new Set(state.rows().filter((r) => r.step === 'append' && r.state !== 'done').map((r) => r.targetPath))]);
      await reconcile(pass, state.rows().filter((r) => r.state === 'appending'));
      await uploadPending(pass, fetcher, byMsgid, places);
      if (pass.targetGmail) await storeLabels(pass, byMsgid, places);
    }
    const verification = report(pass, metas.length);
    const failures = state.rows().filter((r) => r.state === 'failed' && byMsgid.has(r.msgid)).map((r) => {
      const m = byMsgid.get(r.msgid)!;
      const [code, ...text] = (r.error ?? 'imap.append: ').split(': ');
      return { sourcePath: pass.mapping.sourcePath, uid: m.uid, size: m.size, errorCode: code!, errorMessage: `→ ${r.targetPath}: ${text.join(': ')}` };
    });
    return { verification, failures };
  } finally {
    ctx.returnFetcher(fetcher);
  }
}

// UID, X-GM-MSGID, X-GM-LABELS, FLAGS, INTERNALDATE and size of every All Mail message, one command.
async function fetchGmailMeta(fetcher: FetchConnection): Promise<GmailMeta[]> {
  const r = await fetcher.collect('UID FETCH 1:* (UID X-GM-MSGID X-GM-LABELS FLAGS INTERNALDATE RFC822.SIZE)');
  if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH X-GM-LABELS: ${r.text}`), { responseStatus: r.status, responseText: r.text });
  return r.responses.map(parseGmailMeta).filter((m): m is GmailMeta => m !== null);
}

/** Parses one FETCH answer carrying X-GM-MSGID and X-GM-LABELS (labels quoted, atoms, or literals; modified UTF-7). */
export function parseGmailMeta(r: RawResponse): GmailMeta | null {
  const uid = /[( ]UID (\d+)/i.exec(r.text);
  const msgid = /[( ]X-GM-MSGID (\d+)/i.exec(r.text);
  const size = /[( ]RFC822\.SIZE (\d+)/i.exec(r.text);
  if (!uid || !msgid || !size) return null;
  const date = /[( ]INTERNALDATE "([^"]*)"/i.exec(r.text)?.[1];
  const flags = /[( ]FLAGS \(([^)]*)\)/i.exec(r.text)?.[1]?.split(' ').filter(Boolean) ?? [];
  return { uid: Number(uid[1]), msgid: msgid[1]!, labels: labelsOf(r), flags, internalDate: date ? parseImapDate(date) : null, size: Number(size[1]) };
}

function labelsOf(r: RawResponse): string[] {
  const start = /[( ]X-GM-LABELS \(/i.exec(r.text);
  if (!start) return [];
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|\0(\d+)\0|([^\s()"\0]+)|(\)))/y;
  re.lastIndex = start.index + start[0].length;
  for (let m = re.exec(r.text); m && m[4] === undefined; m = re.exec(r.text)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? r.literals[Number(m[2])]!.toString('utf8') : m[3]!;
    out.push(raw.startsWith('\\') ? raw : decodeMutf7(raw));
  }
  return out;
}

// A place's path on the target, named like any folder the engine maps (prefix, separator, special-use, user rules).
function targetPathOf(p: Place, pass: GmailPass): string {
  if ('specialUse' in p && p.specialUse === '\\Inbox') return 'INBOX';
  // Gmail keeps a message with no label in All Mail alone: no "Archive" label is invented there.
  const allMail = pass.layout.specialUse.get('\\All');
  if (pass.targetGmail && 'specialUse' in p && p.specialUse === '\\Archive' && allMail) return allMail;
  const folder = 'label' in p ? { path: p.label, delimiter: '/', flags: new Set<string>() } : { path: p.specialUse.slice(1), delimiter: '/', flags: new Set<string>(), specialUse: p.specialUse };
  return mapFolder(folder, pass.layout, { rules: pass.rules }).targetPath!;
}

async function createFolders(pass: GmailPass, paths: readonly string[]): Promise<void> {
  const raw = await pass.targetRaw();
  if (!raw || paths.length === 0) return;
  const answers = await raw.pipeline(paths.filter((p) => p !== 'INBOX').map((p) => `CREATE ${imapQuote(encodeMutf7(p))}`));
  for (const a of answers) if (a.status !== 'OK' && !/ALREADYEXISTS|exists/i.test(a.text)) pass.ctx.warnings.push(`Gmail labels: the target refused a folder: ${a.text}`);
}

// Uncertain uploads (killed between APPEND and its answer): matched by key against the target folder.
async function reconcile(pass: GmailPass, uncertain: readonly GmailCopyRow[]): Promise<void> {
  const byFolder = Map.groupBy(uncertain, (r) => r.targetPath);
  const landed = pass.state.rows().filter((r) => r.step === 'append' && r.state === 'done');
  for (const [path, rows] of byFolder) {
    const onTarget = await fetchFolderKeys(await pass.ctx.target(), path);
    const matcher = new KeyMatcher(onTarget.map((m) => m.key));
    matcher.claim(landed.filter((r) => r.targetPath === path && r.key).map((r) => r.key!));
    const hits = matcher.claim(rows.map((r) => r.key ?? ''));
    rows.forEach((r, i) => {
      const uid = hits[i] ? (onTarget.find((m) => m.key === r.key)?.uid ?? null) : null;
      pass.state.set(r.msgid, r.targetPath, hits[i] ? 'done' : 'pending', { targetUid: uid });
      if (hits[i]) pass.ctx.counters.copied++;
    });
  }
}

// Bodies of the messages with a pending upload, each read once and appended to each of its pending places.
async function uploadPending(pass: GmailPass, fetcher: FetchConnection, byMsgid: ReadonlyMap<string, GmailMeta>, places: ReadonlyMap<string, ReturnType<typeof placeLabels>>): Promise<void> {
  const { ctx, state } = pass;
  const limit = ctx.appendLimit;
  for (const r of state.rows()) {
    const size = byMsgid.get(r.msgid)?.size ?? 0;
    if (r.step === 'append' && r.state === 'pending' && limit && size > limit) {
      state.set(r.msgid, r.targetPath, 'failed', { error: `imap.tooLarge: ${size} bytes is over the target's limit of ${limit} bytes; not copied, still on the source` });
      ctx.counters.failed++;
    }
  }
  const pending = Map.groupBy(state.rows().filter((r) => r.step === 'append' && r.state === 'pending' && byMsgid.has(r.msgid)), (r) => r.msgid);
  if (pending.size === 0) return;
  const byUid = new Map([...pending.keys()].map((id) => [byMsgid.get(id)!.uid, id]));
  const inFlight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const set = uidSet([...byUid.keys()].sort((a, b) => a - b));
  // Each body counts against the run's body budget from the moment it is parsed until its last upload ends.
  for await (const body of untilAborted(fetcher.gatedBodies(set, ctx.budget.readAheadBytes, ctx.bodies), ctx.signal)) {
    // Null asks the caller to send what it holds: every body here is already uploading.
    if (!body) continue;
    const msgid = byUid.get(body.uid);
    if (!msgid || ctx.signal?.aborted) {
      ctx.bodies.release(body.content.length);
      if (ctx.signal?.aborted) break;
      continue;
    }
    const held = holdBody(ctx, body.content);
    try {
      const meta = byMsgid.get(msgid)!;
      const pl = places.get(msgid)!;
      const key = keyFromBody(body.content, meta.internalDate?.getTime() ?? null, body.content.length) ?? `gm:${msgid}`;
      const flags = filterFlags([...new Set([...meta.flags, ...pl.flags, ...pl.keywords])], undefined).kept;
      for (const row of pending.get(msgid)!) {
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        if (failures.length > 0) throw failures[0] as Error;
        state.set(msgid, row.targetPath, 'appending', { key });
        await ctx.durable();
        const upload = held.upload(ctx.pool.submit(row.targetPath, [{ content: body.content, flags, internalDate: meta.internalDate ?? new Date() }])).then(([g]) => {
          settle(pass, msgid, row.targetPath, g!.outcome, body.content.length);
          return g!.outcome.ok;
        });
        // Observed at once: when the loop leaves by an exception (a pause, a failed durable()), the uploads
        // still in flight must not turn into unhandled rejections that end the process or its thread.
        const tracked: Promise<void> = upload.then(
          (ok) => {
            inFlight.delete(tracked);
            held.answered(ok);
          },
          (error: unknown) => {
            inFlight.delete(tracked);
            held.answered(false);
            failures.push(error);
          },
        );
        inFlight.add(tracked);
      }
    } finally {
      held.allSent();
    }
  }
  await Promise.all(inFlight);
  if (failures.length > 0) throw failures[0] as Error;
}

/** One body uploaded to each of its places: what it tells the run's body budget as its uploads go and end. */
interface HeldBody {
  /** Counts `submitted` as an upload out until it settles, and passes it on. */
  upload<T>(submitted: Promise<T>): Promise<T>;
  /** One upload ended; `ok` when the target answered OK. */
  answered(ok: boolean): void;
  /** No more uploads of this body will start (every place was sent, or the loop left). */
  allSent(): void;
}

// The body's bytes go back to the budget once no upload of it is out and none will start; its memory is freed
// at once when every upload of it was answered OK (every byte was sent), as the folder copier frees its batches.
function holdBody(ctx: CopyContext, content: Buffer): HeldBody {
  let out = 0;
  let sending = true;
  let allOk = true;
  const maybeRelease = (): void => {
    if (sending || out > 0) return;
    ctx.bodies.release(content.length);
    if (allOk) releaseLiteral(content);
  };
  return {
    upload(submitted) {
      out++;
      ctx.bodies.startUpload();
      return submitted;
    },
    answered(ok) {
      out--;
      allOk &&= ok;
      ctx.bodies.endUpload(0);
      maybeRelease();
    },
    allSent() {
      sending = false;
      maybeRelease();
    },
  };
}

// Records one upload's answer; a dropped connection leaves the row 'appending', reconciled next pass.
function settle(pass: GmailPass, msgid: string, targetPath: string, o: AppendOutcome, bytes: number): void {
  const { ctx, state } = pass;
  if (o.ok) {
    state.set(msgid, targetPath, 'done', { targetUid: o.uids?.[0] ?? null });
    ctx.counters.copied++;
    ctx.counters.bytes += bytes;
  } else if (!o.dropped) {
    state.set(msgid, targetPath, 'failed', { error: `${o.error.code}: ${o.error.message}` });
    ctx.counters.failed++;
  }
  ctx.report(pass.mapping.sourcePath);
}

// Gmail target: the labels after the one APPEND, STORE +X-GM-LABELS on the uploaded copy (idempotent).
async function storeLabels(pass: GmailPass, byMsgid: ReadonlyMap<string, GmailMeta>, places: ReadonlyMap<string, ReturnType<typeof placeLabels>>): Promise<void> {
  const rows = pass.state.rows();
  const uidOf = new Map(rows.filter((r) => r.step === 'append' && r.state === 'done').map((r) => [`${r.msgid}\n${r.targetPath}`, r.targetUid]));
  const todo = rows.filter((r) => r.step === 'labels' && r.state !== 'done' && byMsgid.has(r.msgid));
  const raw = await pass.targetRaw();
  if (!raw) return;
  for (const [folder, group] of Map.groupBy(todo, (r) => r.targetPath.slice(0, -'#labels'.length))) {
    const ready = group.filter((r) => uidOf.get(`${r.msgid}\n${folder}`));
    if (ready.length === 0) continue;
    await raw.examine(folder, 'SELECT');
    const answers = await raw.pipeline(
      ready.map((r) => {
        const labels = labelsToStore(byMsgid.get(r.msgid)!.labels, places.get(r.msgid)!.primary);
        return `UID STORE ${uidOf.get(`${r.msgid}\n${folder}`)} +X-GM-LABELS.SILENT (${labels.map((l) => (l.startsWith('\\') ? l : imapQuote(encodeMutf7(l)))).join(' ')})`;
      }),
    );
    ready.forEach((r, i) => pass.state.set(r.msgid, r.targetPath, answers[i]!.status === 'OK' ? 'done' : 'failed', answers[i]!.status === 'OK' ? {} : { error: answers[i]!.text }));
  }
}

// The All Mail line of the report: a message is missing while any of its places is not done.
function report(pass: GmailPass, sourceCount: number): FolderVerification {
  const open = new Set<string>();
  const failed = new Set<string>();
  for (const r of pass.state.rows()) {
    if (r.state !== 'done') open.add(r.msgid);
    if (r.state === 'failed') failed.add(r.msgid);
  }
  return {
    sourcePath: pass.mapping.sourcePath,
    targetPath: `${pass.mapping.targetPath} (and label folders)`,
    sourceCount,
    targetCount: sourceCount - open.size,
    copied: pass.ctx.counters.copied,
    failed: failed.size,
    missing: open.size,
    extra: 0,
    deep: false,
  };
}

/**
 * With a label rule, only All Mail (every message once), Trash and Spam are copied from a Gmail
 * source; INBOX, Sent, Drafts, Starred, Important and the label folders are views of All Mail.
 */
export function skipLabelViews(mappings: readonly FolderMapping[]): FolderMapping[] {
  return mappings.map((m) =>
    m.targetPath === null || m.specialUse === '\\All' || m.specialUse === '\\Trash' || m.specialUse === '\\Junk'
      ? m
      : { ...m, targetPath: null, skipReason: 'Gmail label view: its messages are copied once from All Mail, placed by their labels', renamed: null },
  );
}
