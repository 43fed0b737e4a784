import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestResult } from '../../../shared/domain/reports.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { ingestMailboxCommand, verdictCommand } from './reports-more.ts';

// One call carries at most this many files or bytes, so a 20,000-report backlog streams through in pieces.
const BATCH_FILES = 200;
const BATCH_BYTES = 64_000_000;

/** Every file under the given paths (folders walked, hidden entries skipped), or UsageError for a missing path. */
function collect(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    let info;
    try {
      info = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or folder.`);
    }
    if (info.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) walk(join(path, entry));
    } else if (info.isFile()) files.push(path);
  };
  for (const path of paths) walk(path);
  return files;
}

async function ingest(ctx: CliContext, files: readonly string[], keepRaw: boolean): Promise<IngestResult | null> {
  const total: { stored: { aggregate: number; tls: number; failure: number }; duplicates: number; errors: IngestResult['errors'][number][]; sources: number } = {
    stored: { aggregate: 0, tls: 0, failure: 0 },
    duplicates: 0,
    errors: [],
    sources: 0,
  };
  let batch: { name: string; base64: string }[] = [];
  let bytes = 0;
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    const result = await ctx.api.reports.ingest(batch, { keepRaw });
    batch = [];
    bytes = 0;
    if (!result.ok) return emitError(ctx, result.error), false;
    for (const kind of ['aggregate', 'tls', 'failure'] as const) total.stored[kind] += result.value.stored[kind];
    total.duplicates += result.value.duplicates;
    total.errors.push(...result.value.errors);
    total.sources += result.value.sources;
    if (!ctx.json) ctx.io.stderr.write(`\r${total.sources} of ${files.length} read`);
    return true;
  };
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (error) {
      total.errors.push({ source: file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
      continue;
    }
    batch.push({ name: file, base64: content.toString('base64') });
    bytes += content.length;
    if ((batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) && !(await flush())) return null;
  }
  if (!(await flush())) return null;
  if (!ctx.json && files.length > 0) ctx.io.stderr.write('\n');
  return total;
}

/** `mailroom reports ingest|summary|sources`: DMARC aggregate, TLS and failure reports. */
export const reportsCommand: CliCommand = {
  name: 'reports',
  summary: 'read DMARC aggregate, SMTP TLS and DMARC failure reports',
  usage: `mailroom reports ingest --file PATH... [--keep-raw]   (files or folders: XML, JSON, .gz, .zip or .eml; exit 1 when some could not be read)
mailroom reports ingest --connection C [--mailbox ADDRESS] [--folder F] [--after processed|flag] [--processed-folder P] [--keep-raw]
    (an IMAP, Google Workspace or Microsoft 365 connection; --mailbox: the Gmail or Microsoft 365 mailbox, Google defaults to the admin;
     --folder: IMAP folder, Gmail label or Graph folder, default the inbox; Ctrl+C stops after the message in hand)
mailroom reports verdict --domain D [--json]
mailroom reports summary [--domain D] [--since ISO] [--json]
mailroom reports sources --domain D [--since ISO] [--json]`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'ingest' && rest.some((a) => a === '--connection' || a.startsWith('--connection='))) {
      if (rest.some((a) => a === '--file' || a.startsWith('--file='))) throw new UsageError('reports ingest reads --connection C or --file PATH, not both.');
      return ingestMailboxCommand(rest, ctx);
    }
    if (sub === 'verdict') return verdictCommand(rest, ctx);
    if (sub === 'ingest') {
      const { values, positionals } = parse(rest, { file: { type: 'string', multiple: true }, 'keep-raw': { type: 'boolean' } });
      if (!values.file?.length) throw new UsageError('reports ingest needs --file PATH (a report, a message or a folder of them) or --connection C (a saved IMAP, Google Workspace or Microsoft 365 connection).');
      const result = await ingest(ctx, collect([...values.file, ...positionals]), values['keep-raw'] ?? false);
      if (result === null) return ExitCode.failed;
      emit(ctx, result, () => {
        const s = result.stored;
        const lines = [`Stored ${s.aggregate} aggregate, ${s.tls} TLS and ${s.failure} failure reports from ${result.sources} files; ${result.duplicates} were already stored.`];
        for (const e of result.errors) lines.push(`not read: ${e.source}: ${e.reason}`);
        return lines.join('\n');
      });
      return result.errors.length === 0 ? ExitCode.ok : ExitCode.failed;
    }
    if (sub === 'summary') {
      const { values } = parse(rest, { domain: { type: 'string' }, since: { type: 'string' } }, false);
      const result = await ctx.api.reports.summary({ ...(values.domain ? { domain: values.domain } : {}), ...(values.since ? { since: values.since } : {}) });
      if (!result.ok) return usageOr(ctx, result.error);
      const s = result.value;
      emit(ctx, s, () =>
        [
          `${s.aggregate.reports} aggregate reports (${s.aggregate.messages} messages), ${s.tls.reports} TLS reports (${s.tls.sessions} sessions), ${s.failure.reports} failure reports.`,
          s.domains.length ? table(['DOMAIN', 'MESSAGES', 'DMARC PASS', '%'], s.domains.map((d) => [d.domain, String(d.messages), String(d.dmarcPass), d.messages ? String(Math.round((100 * d.dmarcPass) / d.messages)) : ''])) : 'No aggregate reports stored yet: run `mailroom reports ingest --file PATH`.',
          ...(s.errors.length ? [`${s.errors.length} sources could not be read; the latest: ${s.errors[0]!.source}: ${s.errors[0]!.reason}`] : []),
        ].join('\n'),
      );
      return ExitCode.ok;
    }
    if (sub === 'sources') {
      const { values } = parse(rest, { domain: { type: 'string' }, since: { type: 'string' } }, false);
      if (!values.domain) throw new UsageError('reports sources needs --domain D.');
      const result = await ctx.api.reports.sources({ domain: values.domain, ...(values.since ? { since: values.since } : {}) });
      if (!result.ok) return usageOr(ctx, result.error);
      emit(ctx, result.value, () =>
        result.value.length === 0
          ? `No aggregate report mentions ${values.domain} yet.`
          : table(['SOURCE IP', 'MESSAGES', 'DMARC PASS', 'CLASS', 'KNOWN SENDER', 'REPORTERS'], result.value.map((r) => [r.sourceIp, String(r.messages), String(r.dmarcPass), r.classification, r.knownSender ?? '', String(r.reporters)])),
      );
      return ExitCode.ok;
    }
    throw new UsageError(`Unknown subcommand "reports ${sub ?? ''}". Try: ingest, summary, sources, verdict.`);
  },
};

function usageOr(ctx: CliContext, error: AppError): number {
  if (error.code === 'input.invalid') throw new UsageError(error.message);
  emitError(ctx, error);
  return ExitCode.failed;
}
