import { useEffect, useState, useSyncExternalStore } from 'react';
import type { MonthlyReport, MonthlyReportQuery } from '../../../shared/domain/monthly-report.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { MONTHLY_REPORT_HEADER, monthlyReportRows } from '../../../shared/lib/monthly-report-rows.ts';
import { monthlyReportFromHash, monthlyReportHash } from '../../../shared/lib/monthly-report-route.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { downloadText, toCsv } from '../../lib/csv.ts';
import { ReportSections } from './report-sections.tsx';
import './monthly-report.css';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The monthly report the address asks for (`#/overview/report?customer=…&month=…`), or null. */
export function useReportQuery(): MonthlyReportQuery | null {
  // Only a report's address is the snapshot: leaving the Overview for another page does not re-render it on the way out.
  const hash = useSyncExternalStore(subscribe, () => (window.location.hash.startsWith(REPORT_PREFIX) ? window.location.hash : ''));
  return monthlyReportFromHash(hash);
}

const REPORT_PREFIX = '#/overview/report?';

const fileName = (r: MonthlyReport, ext: string): string => `mailroom-${r.customer.replace(/[^\w.-]+/g, '-')}-${r.month}.${ext}`;

function downloadBase64Pdf(name: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A customer's monthly report laid out for the client: key figures, cost, deliverability, alignment and drift, migrations; printable. */
export function MonthlyReportPage({ query }: { readonly query: MonthlyReportQuery }) {
  const [report, setReport] = useState<MonthlyReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const [pdfError, setPdfError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    void api.customerReports.monthly(query).then((r) => {
      if (!live) return;
      if (r.ok) setReport(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [query.customer, query.month]);
  useEffect(() => {
    if (report) document.title = `${report.customer} · ${report.month} · Mailroom`;
  }, [report]);

  const savePdf = async (r: MonthlyReport) => {
    setPdfBusy(true);
    setPdfError(null);
    const pdf = await api.customerReports.monthlyPdf({ customer: r.customer, month: r.month });
    setPdfBusy(false);
    if (pdf.ok) downloadBase64Pdf(fileName(r, 'pdf'), pdf.value);
    else setPdfError(pdf.error);
  };

  return (
    <div className="page monthly-report">
      <div className="monthly-report__toolbar no-print">
        <a className="btn btn--ghost btn--sm" href="#/overview">
          <Icon name="overview" size={16} /> Overview
        </a>
        <label className="monthly-report__month">
          Month
          <input
            type="month"
            value={report?.month ?? query.month ?? ''}
            onChange={(e) => e.target.value && (window.location.hash = monthlyReportHash({ customer: query.customer, month: e.target.value }))}
          />
        </label>
        <span className="monthly-report__spacer" />
        {report ? (
          <>
            <Button size="sm" onClick={() => downloadText(fileName(report, 'csv'), toCsv(MONTHLY_REPORT_HEADER, monthlyReportRows(report)))} icon={<Icon name="download" size={16} />}>
              Export CSV
            </Button>
            <Button size="sm" onClick={() => void savePdf(report)} busy={pdfBusy}>
              Save PDF
            </Button>
            <Button size="sm" variant="primary" onClick={() => window.print()}>
              Print
            </Button>
          </>
        ) : null}
      </div>
      {pdfError ? <ErrorMessage compact error={pdfError} title="The PDF could not be printed." /> : null}
      {error ? <ErrorMessage error={error} title="The report could not be built." /> : null}
      {!report && !error ? <div className="loading"><Spinner label="Building the report" /></div> : null}
      {report ? (
        <article className="monthly-report__sheet" aria-label={`Monthly report for ${report.customer}`} data-report-ready="">
          <ReportSections report={report} />
        </article>
      ) : null}
    </div>
  );
}
