import type { MonthlyReportService } from '../../monthly-report/monthly-report-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `customerReports` area: the monthly report as data, CSV and PDF. */
export function customerReportsHandlers(reports: MonthlyReportService): AreaHandlers<'customerReports'> {
  return {
    monthly: ([query]) => reports.monthly(query),
    monthlyCsv: ([query]) => reports.monthlyCsv(query),
    monthlyPdf: async ([query]) => {
      const pdf = await reports.monthlyPdf(query);
      return pdf.ok ? ok(Buffer.from(pdf.value).toString('base64')) : pdf;
    },
  };
}
