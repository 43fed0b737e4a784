import type { DmarcVerdict, ReportDay, TlsFailureRow } from '../../shared/domain/reports-insights.ts';
import type { ReportsViewsRepo } from '../db/reports-views-repo.ts';
import { dmarcVerdict } from './dmarc-verdict.ts';
import type { ReportsService } from './reports-service.ts';

const VERDICT_WINDOW_SECONDS = 30 * 86_400;

/** Charts and verdicts over stored reports: per-day volume, TLS failures per MX, "ready for p=reject?". */
export class ReportsInsights {
  private readonly views: ReportsViewsRepo;
  private readonly reports: ReportsService;
  private readonly now: () => number;

  constructor(views: ReportsViewsRepo, reports: ReportsService, now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.views = views;
    this.reports = reports;
    this.now = now;
  }

  /** One domain's messages and DMARC passes per day. */
  days(domain: string, since: number): ReportDay[] {
    return this.views.days(domain, since);
  }

  /** TLS failures per receiving MX and type, for one policy domain or all. */
  tlsFailures(domain: string | null, since: number): TlsFailureRow[] {
    return this.views.tlsFailures(domain, since);
  }

  /** The p=reject verdict from the last 30 days of aggregate reports. */
  verdict(domain: string): DmarcVerdict {
    const since = this.now() - VERDICT_WINDOW_SECONDS;
    return dmarcVerdict(domain, since, this.reports.sources(domain, since), this.views.latestPolicy(domain));
  }
}
