import { mapFolders, renameWarnings, type FolderMapping } from './folder-map.ts';
import { copyContext, copyFolders, progressOf } from './copy-step.ts';
import { unchangedSince } from './folder-status.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { verifyFolders } from './verify.ts';
import { ContentCheck } from './content-verify.ts';
import { settleFolderTree, targetLayout } from './folder-tree-step.ts';
import { namespacesOf, selectNamespaces } from './namespace-filter.ts';
import type { SourceProbe } from './quiet-check.ts';
import { changeSupport } from './delta-run.ts';
import { sameNames } from './run-clients.ts';
import { copyGmailAllMail, skipLabelViews } from './gmail-source.ts';
import { GmailState } from './gmail-state.ts';
import { listBothSides, recount } from './run-listing.ts';
import type { GmailLabelRule } from './gmail-labels.ts';
import type { Findings, MigrateOptions, Run } from './migrate-job.ts';

// The full path of a run (split from migrate-job.ts): loaded only when the quiet check and the
// flags-only delta both found something to copy, so a no-change re-run never loads it.

/** Lists both sides, maps the folders, copies the ones with changes and verifies: the full path of a run. */
export async function copyPass(run: Run, rawSource: Promise<FetchConnection | null>, probing: Promise<SourceProbe | null>, found: Findings): Promise<void> {
  const { options, store } = run;
  // Listed on the raw sessions, after the probe (so the fingerprint describes a tree listed no
  // later than the one this run works from); imapflow only where a side has no raw session.
  const { source, target } = await listBothSides(run, rawSource, probing);
  const probed = await probing;
  const [listed, targetListed] = [source.folders, target.folders];
  // …and only when it names the very folders this run works from (a folder the server left out
  // of one listing would otherwise be vouched for without ever being copied). The names the server
  // listed, outside the personal namespace too: the options (part of the fingerprint) choose among them.
  found.fingerprint = probed !== null && sameNames(probed.names, source.listedNames ?? listed.map((f) => f.pathAsListed)) ? probed.fingerprint : null;
  const gmail = source.capabilities.has('X-GM-EXT-1');
  const chosen = selectNamespaces(
    listed.filter((f) => (!options.include || options.include.test(f.path)) && !(options.exclude?.test(f.path) ?? false)),
    namespacesOf(source.namespaces),
    options.includeShared ?? false,
  );
  const layout = targetLayout(target.namespace, targetListed, options.targetFlavor);
  const mapped = [...mapFolders(chosen.kept, layout, { sourcePrefix: source.namespace.prefix, rules: options.rules ?? [], gmailSource: gmail, gmailAllMail: gmail }), ...chosen.skipped];
  // Gmail's "Show in IMAP" can hide All Mail: then no pass can copy each message once, and each label folder is
  // copied as it is (skipping them as views of an All Mail that is not there would copy nothing from them). Asked of
  // the whole listing: All Mail left out by --include/--exclude is still there, and a job must not switch passes.
  const allMailShown = listed.some((f) => f.specialUse === '\\All');
  const labelRule = gmail && allMailShown ? gmailRuleOf(options) : null;
  if (gmail && !allMailShown && gmailRuleOf(options) !== null) run.warnings.push(ALL_MAIL_HIDDEN);
  found.mappings = labelRule ? skipLabelViews(mapped) : mapped;
  // A Gmail pass re-reads All Mail's labels every run (labels change without a new UID): no quiet check.
  if (labelRule) found.fingerprint = null;
  if (!options.dryRun && !options.verifyOnly) {
    found.mappings = await settleFolderTree({ store, targetRaw: run.fetchers.targetRaw, warnings: run.warnings, attempted: run.attempted }, found.mappings, listed, targetListed, layout);
  }
  run.warnings.push(...renameWarnings(found.mappings));
  const work = found.mappings.filter((m) => m.targetPath !== null);
  const statusByPath = new Map(listed.map((f) => [f.path, f]));
  // A no-change re-run touches no folder: it needs neither upload connections nor extra source connections.
  const busy = options.verifyOnly ? [] : work.filter((m) => !unchangedSince(store, m.sourcePath, statusByPath.get(m.sourcePath)?.status));
  const { ctx: c, workers } = await copyContext(run, () => run.target.get(), new Map(targetListed.map((f) => [f.path, f.status?.messages])), busy, labelRule !== null);
  c.counters.total = work.reduce((n, m) => n + (statusByPath.get(m.sourcePath)?.status?.messages ?? 0), 0);
  found.counters = c.counters;
  const verifying = (options.verify ?? false) && !options.dryRun;
  const checking = { checked: 0, checkTotal: 0 };
  const progress = progressOf(run, c, work.length, verifying ? checking : undefined);
  progress('listing');
  const allMail = labelRule ? work.find((m) => m.specialUse === '\\All') : undefined;
  if (labelRule && !allMail && !options.verifyOnly) run.warnings.push(ALL_MAIL_LEFT_OUT);
  const gmailPass = allMail && !options.verifyOnly
    ? copyGmailAllMail({ ctx: c, state: new GmailState(store.db, store.jobId), mapping: allMail, rule: labelRule!, layout, rules: options.rules ?? [], targetGmail: target.capabilities.has('X-GM-EXT-1'), targetRaw: run.fetchers.targetRaw })
    : null;
  gmailPass?.catch(() => undefined);
  const folders = work.filter((m) => m !== allMail);
  // By content, before the per-folder report, so that report counts the copies found altered.
  // (The Gmail pass keeps its state by X-GM-MSGID, outside the per-folder rows this compares.)
  let copying = !options.verifyOnly;
  const onProgress = (checked: number, checkTotal: number): void => {
    Object.assign(checking, { checked, checkTotal });
    if (!copying) run.options.onProgress?.({ phase: 'checking', folder: null, foldersDone: work.length, foldersTotal: work.length, ...c.counters, checked, checkTotal, elapsedMs: Math.round(performance.now() - run.started) });
  };
  const check = verifying ? new ContentCheck({ store, fetchers: run.fetchers, recheck: options.verifyOnly ?? false, signal: options.signal, onProgress, counters: c.counters, warnings: run.warnings }) : null;
  if (check && copying) {
    // As uploads are answered, a large folder's settled copies are compared while the rest of it is copied.
    const targetOf = new Map(folders.map((m) => [m.sourcePath, m.targetPath!]));
    const report = c.report;
    c.report = (folder) => {
      report(folder);
      const t = targetOf.get(folder);
      if (t) check.settled(t);
    };
  }
  // A target folder's own check starts once the last of its source folders is copied.
  const checkAsCopied = check ? alongside(check, folders) : undefined;
  try {
    if (copying) await copyFolders(run, c, run.deltas.context(changeSupport(source.capabilities), found.passes), folders, statusByPath, workers, progress, checkAsCopied);
  } catch (error) {
    await check?.stop();
    throw error;
  }
  copying = false;
  const gmailOutcome = gmailPass ? await gmailPass : null;
  const gmailReport = gmailOutcome ? [gmailOutcome.verification] : [];
  found.gmailFailures = gmailOutcome?.failures ?? [];
  if (check) found.content = await check.finish([...new Set(folders.map((m) => m.targetPath!))]);
  progress('verifying');
  found.verification = gmailReport.concat(await verifyFolders(() => run.source.get(), () => run.target.get(), store, folders, (options.verify ?? false) && !options.dryRun, {
    unchanged: c.unchanged,
    sourceStatus: statusByPath,
    targetRaw: run.fetchers.targetRaw,
    targetListed,
    copiedBefore: run.deltas.copiedBefore,
    recount: () => recount(run),
    ...(check ? { foundOnTarget: (sourcePath: string, uidValidity: number) => check.foundOnTarget(sourcePath, uidValidity) } : {}),
  }));
  progress('done');
}

// The label rule of a Gmail source, or null when each label folder is copied on its own.
const ALL_MAIL_HIDDEN = 'Gmail shows no All Mail folder over IMAP ("Show in IMAP" is off for it): each label folder is copied as it is, so a message with several labels is copied into each, and a message with no label cannot be reached; turn "Show in IMAP" on for All Mail to copy each message once';

const ALL_MAIL_LEFT_OUT = 'Gmail\'s All Mail is left out of this run (--include, --exclude or a rule): label folders are views of All Mail, so only Trash and Spam are copied; use --gmail-labels per-label to copy label folders as they are';

function gmailRuleOf(options: MigrateOptions): GmailLabelRule | null {
  if (options.gmailLabels === 'per-label') return null;
  return options.gmailLabels === 'keywords' ? 'keywords' : 'folders';
}


// The hook the copy calls as each folder's copy ends: a target folder is checked once every source folder copied into it is done.
function alongside(check: ContentCheck, folders: readonly FolderMapping[]): (m: FolderMapping) => void {
  const left = new Map<string, number>();
  for (const m of folders) left.set(m.targetPath!, (left.get(m.targetPath!) ?? 0) + 1);
  return (m) => {
    const t = m.targetPath!;
    const n = left.get(t)! - 1;
    left.set(t, n);
    if (n === 0) check.folder(t);
  };
}
