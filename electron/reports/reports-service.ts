import type { IngestResult, ParsedReport, ReportsSummary, ReportSource } from '../../shared/domain/reports.ts';
import type { ReportFilter, ReportsRepo } from '../db/reports-repo.ts';
import { classifySource } from './known-senders.ts';
import type { ReadOutcome } from './report-reader.ts';

/** One input to ingest: its name (a path or a message's place) and bytes. */
export interface ReportInput {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Reads reports from files and messages into the cache, and answers questions over what is stored. */
export class ReportsService {
  private readonly repo: ReportsRepo;
  private readonly now: () => number;

  constructor(repo: ReportsRepo, now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.repo = repo;
    this.now = now;
  }

  /** Reads and stores every report in the inputs; a broken one is an error line, never a stop. */
  async ingest(inputs: readonly ReportInput[], options: { keepRaw?: boolean } = {}): Promise<IngestResult> {
    const stored = { aggregate: 0, tls: 0, failure: 0 };
    let duplicates = 0;
    const errors: IngestResult['errors'][number][] = [];
    // Loaded on first ingest: the readers bring mailparser, an XML parser and unzip, which every other command started with these services would pay for.
    const { readReportFile } = await import('./report-reader.ts');
    for (const input of inputs) {
      const read: ReadOutcome = await readReportFile(input.name, input.bytes);
      for (const report of read.reports) {
        if (this.store(report, options.keepRaw ? input.bytes : null) === 'stored') stored[report.kind] += 1;
        else duplicates += 1;
      }
      for (const error of read.errors) {
        this.repo.recordError(error, this.now());
        errors.push(error);
      }
    }
    return { stored, duplicates, errors, sources: inputs.length };
  }

  /** Totals over stored reports. */
  summary(filter: ReportFilter): ReportsSummary {
    return this.repo.summary(filter);
  }

  /** One domain's sending sources, classified. */
  sources(domain: string, since: number): ReportSource[] {
    return this.repo.sources(domain, since).map(({ auth, ...row }) => ({ ...row, ...classifySource(domain, row, auth) }));
  }

  private store(report: ParsedReport, raw: Buffer | null): 'stored' | 'duplicate' {
    if (report.kind === 'aggregate') return this.repo.storeAggregate(report, raw);
    if (report.kind === 'tls') return this.repo.storeTls(report, raw);
    return this.repo.storeFailure(report, this.now());
  }
}
