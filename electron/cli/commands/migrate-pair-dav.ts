import type { CopyMailboxSide } from '../../../shared/domain/migration-copy.ts';
import { appError } from '../../../shared/errors/result.ts';
import { openDatabase } from '../../db/database.ts';
import { parseCloudSide } from '../../dav/cloud-side.ts';
import { DavConnectError, openDavAccount, type DavAccount } from '../../dav/dav-client.ts';
import { copyAccounts } from '../../dav/dav-job.ts';
import { parseEndpointUrl } from '../../migration/endpoint.ts';
import { davUrlProblem } from '../../dav/dav-url.ts';
import { davEndpoint } from '../../migration/plan-dav.ts';
import { dataFiles } from '../../platform/paths.ts';
import { UsageError, type CliContext } from '../cli-context.ts';
import { emitError } from '../output.ts';
import { cloudAccount, printDavReport } from './migrate-dav.ts';
import type { DavChoice } from './migrate-dav-choice.ts';

/** Checks a pair's DAV sides (both or neither; a google:/m365: side's saved connection) before anything is copied. */
export async function checkPairDav(ctx: CliContext, where: string, sourceDav: string | undefined, targetDav: string | undefined): Promise<void> {
  if (Boolean(sourceDav) !== Boolean(targetDav)) throw new UsageError(`${where}: calendars and contacts need both source_dav and target_dav.`);
  for (const [name, url] of [['source_dav', sourceDav], ['target_dav', targetDav]] as const) {
    const cloud = url ? parseCloudSide(url) : null;
    if (typeof cloud === 'string') throw new UsageError(`${where}, ${name}: ${cloud}`);
    if (cloud) await cloudAccount(ctx, `${where}, ${name}`, url!);
    const problem = url && !cloud ? davUrlProblem(url) : null;
    if (problem) throw new UsageError(`${where}, ${name}: ${problem}`);
  }
}

/**
 * Copies a pair's calendars and contacts after its mail, each side logging in to DAV with its IMAP
 * password (as the URL's user, else the IMAP user); prints the report. True when it is complete.
 */
export async function copyPairDavCli(ctx: CliContext, state: string | undefined, urls: { source: string; target: string }, sides: { source: CopyMailboxSide; target: CopyMailboxSide }, choice: DavChoice): Promise<boolean> {
  const login = (s: CopyMailboxSide) => ('url' in s && s.auth !== 'xoauth2' ? { user: (parseEndpointUrl(s.url) as { user: string }).user, password: s.secret } : null);
  // A google:/m365: side is the saved connection's user; a DAV URL logs in with that side's IMAP password.
  const open = async (name: 'source' | 'target'): Promise<DavAccount | null> => {
    const cloud = await cloudAccount(ctx, `--${name}-dav`, urls[name]);
    if (cloud) return cloud;
    const imap = login(sides[name]);
    return imap ? openDavAccount(davEndpoint(urls[name], imap.user, imap.password)) : null;
  };
  const db = openDatabase(state ?? dataFiles(ctx.dataDir).database);
  try {
    const source = await open('source');
    const target = await open('target');
    if (!source || !target) {
      emitError(ctx, appError('backend.unsupported', 'Calendars and contacts over DAV need --source/--target URLs with passwords (not saved connections or OAuth tokens); name a google:/m365: side for a Workspace or Microsoft 365 account.'));
      return false;
    }
    const report = await copyAccounts(db, { source, target }, choice);
    printDavReport(ctx, report);
    return report.complete;
  } catch (error) {
    if (!(error instanceof DavConnectError)) throw error;
    emitError(ctx, appError(error.reason === 'auth' ? 'backend.auth' : 'backend.unavailable', `calendars and contacts: ${error.message}`));
    return false;
  } finally {
    db.close();
  }
}
