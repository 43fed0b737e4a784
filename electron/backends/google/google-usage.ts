import type { admin_reports_v1 } from '@googleapis/admin';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { classifySdkError } from '../http/http-errors.ts';

// Google reports storage in "MB" without saying which MB; Mailroom reads it as MiB and labels the value
// approximate. Reports also trail by days, so freshness is 'days'.
const MB = 1_048_576;
const DAY = 86_400_000;

/** First date worth asking for: reports for the last two days are normally not there yet. */
export function reportDate(nowMs: number, daysBack: number): string {
  return new Date(nowMs - daysBack * DAY).toISOString().slice(0, 10);
}

/**
 * Used bytes per user from the Reports API (`accounts:used_quota_in_mb`). Walks back day by day while the
 * API answers with a DATA_NOT_AVAILABLE warning (reports for recent days are not ready yet), up to `maxDaysBack`.
 */
export async function readUsage(
  reports: admin_reports_v1.Admin,
  options: { nowMs: number; signal?: AbortSignal | undefined; maxDaysBack?: number; customerId?: string },
): Promise<Result<Map<string, number>>> {
  const usage = new Map<string, number>();
  for (let daysBack = 2; daysBack <= (options.maxDaysBack ?? 7); daysBack += 1) {
    const date = reportDate(options.nowMs, daysBack);
    let pageToken: string | undefined;
    let empty = true;
    do {
      let data: admin_reports_v1.Schema$UsageReports;
      try {
        const res = await reports.userUsageReport.get(
          { userKey: 'all', date, parameters: 'accounts:used_quota_in_mb', maxResults: 1000, ...(pageToken ? { pageToken } : {}), ...(options.customerId ? { customerId: options.customerId } : {}) },
          options.signal ? { signal: options.signal } : {},
        );
        data = res.data;
      } catch (error) {
        return { ok: false, error: classifySdkError(error, 'Google Reports usage') };
      }
      for (const report of data.usageReports ?? []) {
        const email = report.entity?.userEmail;
        const used = report.parameters?.find((p) => p.name === 'accounts:used_quota_in_mb')?.intValue;
        if (email && used !== undefined && used !== null) {
          usage.set(email.toLowerCase(), Number(used) * MB);
          empty = false;
        }
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    if (!empty) return ok(usage);
  }
  return ok(usage);
}
