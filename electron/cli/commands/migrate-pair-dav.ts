import type { CopyMailboxSide } from '../../../shared/domain/migration.ts';
import { appError } from '../../../shared/errors/result.ts';
import { openDatabase } from '../../db/database.ts';
import { DavConnectError } from '../../dav/dav-client.ts';
import { copyDavAccount } from '../../dav/dav-job.ts';
import { parseEndpointUrl } from '../../migration/endpoint.ts';
import { davUrlProblem } from '../../dav/dav-url.ts';
import { davEndpoint } from '../../migration/plan-dav.ts';
import { dataFiles } from '../../platform/paths.ts';
import { UsageError, type CliContext } from '../cli-context.ts';
import { emitError } from '../output.ts';
import { printDavReport } from './migrate-dav.ts';

/** Which DAV kinds `mailroom migrate` copies: both by default, only the one named, minus the ones turned off. */
export interface DavChoice {
  readonly calendars: boolean;
  readonly contacts: boolean;
}

/** The choice from --calendars/--contacts/--no-calendars/--no-contacts. */
export function davChoice(values: { calendars?: boolean | undefined; contacts?: boolean | undefined; 'no-calendars'?: boolean | undefined; 'no-contacts'?: boolean | undefined }): DavChoice {
  const named = values.calendars || values.contacts;
  if ((values.calendars && values['no-calendars']) || (values.contacts && values['no-contacts'])) throw new UsageError('--calendars/--contacts and --no-calendars/--no-contacts contradict each other.');
  return { calendars: !values['no-calendars'] && (!named || !!values.calendars), contacts: !values['no-contacts'] && (!named || !!values.contacts) };
}

/** Checks a pair's DAV URLs (both or neither) before anything is copied. */
export function checkPairDav(where: string, sourceDav: string | undefined, targetDav: string | undefined): void {
  if (Boolean(sourceDav) !== Boolean(targetDav)) throw new UsageError(`${where}: calendars and contacts need both source_dav and target_dav.`);
  for (const [name, url] of [['source_dav', sourceDav], ['target_dav', targetDav]] as const) {
    const problem = url ? davUrlProblem(url) : null;
    if (problem) throw new UsageError(`${where}, ${name}: ${problem}`);
  }
}

/**
 * Copies a pair's calendars and contacts after its mail, each side logging in to DAV with its IMAP
 * password (as the URL's user, else the IMAP user); prints the report. True when it is complete.
 */
export async function copyPairDavCli(ctx: CliContext, state: string | undefined, urls: { source: string; target: string }, sides: { source: CopyMailboxSide; target: CopyMailboxSide }, choice: DavChoice): Promise<boolean> {
  const login = (s: CopyMailboxSide) => ('url' in s && s.auth !== 'xoauth2' ? { user: (parseEndpointUrl(s.url) as { user: string }).user, password: s.secret } : null);
  const source = login(sides.source);
  const target = login(sides.target);
  if (!source || !target) {
    emitError(ctx, appError('backend.unsupported', 'Calendars and contacts need --source/--target URLs with passwords (not saved connections or OAuth tokens).'));
    return false;
  }
  const db = openDatabase(state ?? dataFiles(ctx.dataDir).database);
  try {
    const report = await copyDavAccount(db, { source: davEndpoint(urls.source, source.user, source.password), target: davEndpoint(urls.target, target.user, target.password) }, choice);
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
