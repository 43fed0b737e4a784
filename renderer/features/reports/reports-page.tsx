import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { IngestPanel } from './ingest-panel.tsx';
import { FailureReasonsCard, TlsFailuresCard, VerdictCard } from './insight-cards.tsx';
import { DaysTable, PassRateChart, VolumeChart } from './report-charts.tsx';
import { percent, reportCustomers } from './reports-model.ts';
import { domainsInScope, useReports, type Period } from './reports-store.ts';
import { SourcesTable } from './sources-table.tsx';
import './reports.css';

const PERIODS: readonly { value: Period; label: string }[] = [
  { value: 'all', label: 'All stored reports' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 365 days' },
];

/** Reports: DMARC and TLS reports per domain and customer — charts, sending sources, failures, the p=reject verdict, and ingest. */
export function ReportsPage() {
  const store = useReports();
  const [dragging, setDragging] = useState(false);
  useEffect(() => void useReports.getState().load(), []);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) void store.ingestFiles(files);
  };
  const summary = store.summary;
  const empty = summary !== null && summary.aggregate.reports + summary.tls.reports + summary.failure.reports === 0;
  return (
    <div
      className={`page reports-page ${dragging ? 'reports-page--drop' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <PageHeader title="Reports" description="DMARC aggregate, SMTP TLS and failure reports that receivers send: who sends as each domain, what fails, and when a domain is ready for p=reject." />
      <IngestPanel />
      {store.error ? <ErrorMessage error={store.error} title="Stored reports could not be read." /> : null}
      {!store.loaded ? (
        <div className="loading">
          <Spinner label="Loading stored reports" />
        </div>
      ) : empty ? (
        <EmptyState title="No reports yet" icon={<Icon name="reports" size={28} />}>
          <p>Import report files above, drop them on this page, or read the mailbox your DMARC rua and TLS-RPT addresses deliver to.</p>
          <p className="muted">
            From a shell: <code>mailroom reports ingest --file PATH</code> or <code>mailroom reports ingest --connection NAME</code>.
          </p>
        </EmptyState>
      ) : summary ? (
        <ReportViews />
      ) : null}
      {dragging ? (
        <div className="reports-drop" aria-hidden="true">
          Drop report files to import them
        </div>
      ) : null}
    </div>
  );
}

function ReportViews() {
  const store = useReports();
  const inScope = useMemo(() => domainsInScope(store.summary, store.customers, store.customer), [store.summary, store.customers, store.customer]);
  const customers = useMemo(() => reportCustomers(store.customers, store.summary?.domains.map((d) => d.domain) ?? []), [store.customers, store.summary]);
  const shown = store.domain ? inScope.filter((d) => d.domain === store.domain) : inScope;
  const messages = shown.reduce((n, d) => n + d.messages, 0);
  const passed = shown.reduce((n, d) => n + d.dmarcPass, 0);
  const summary = store.summary!;
  return (
    <>
      <div className="reports-scope" role="group" aria-label="Scope">
        <SelectField
          label="Customer"
          value={store.customer}
          onChange={(e) => void store.setScope({ customer: e.target.value })}
          options={[{ value: '', label: `All customers (${customers.length})` }, ...customers.map((c) => ({ value: c, label: c === UNASSIGNED_CUSTOMER ? 'Unassigned (no customer)' : c }))]}
          disabled={customers.length === 0}
        />
        <SelectField label="Domain" value={store.domain} onChange={(e) => void store.setScope({ domain: e.target.value })} options={[{ value: '', label: `All domains (${inScope.length})` }, ...inScope.map((d) => ({ value: d.domain, label: d.domain }))]} />
        <SelectField label="Period" value={store.period} onChange={(e) => void store.setScope({ period: e.target.value as Period })} options={PERIODS} />
      </div>
      <div className="stats reports-stats" role="group" aria-label="Totals">
        <Stat label="Messages reported" value={messages.toLocaleString()} />
        <Stat label="Passed DMARC" value={passed.toLocaleString()} />
        <Stat label="DMARC pass rate" value={percent(passed, messages)} />
        <Stat label="Aggregate reports" value={summary.aggregate.reports.toLocaleString()} />
        <Stat label="TLS reports" value={summary.tls.reports.toLocaleString()} />
        <Stat label="Failure reports" value={summary.failure.reports.toLocaleString()} />
      </div>
      {store.viewError ? <ErrorMessage error={store.viewError} title="This view could not be loaded." /> : null}
      {store.days.length > 0 ? (
        <div className="reports-charts">
          <section className="card reports-card" aria-label="Volume over time">
            <h2 className="reports-card__title">Volume</h2>
            <VolumeChart days={store.days} />
          </section>
          <section className="card reports-card" aria-label="DMARC pass rate over time">
            <h2 className="reports-card__title">DMARC pass rate</h2>
            <PassRateChart days={store.days} />
          </section>
          <DaysTable days={store.days} />
        </div>
      ) : (
        <p className="muted">No aggregate report in this scope and period.</p>
      )}
      {store.domain ? (
        <>
          {store.verdict ? <VerdictCard verdict={store.verdict} /> : null}
          <FailureReasonsCard sources={store.sources} />
          <SourcesTable domain={store.domain} sources={store.sources} names={store.names} />
        </>
      ) : (
        <DomainsCard domains={inScope} onPick={(domain) => void store.setScope({ domain })} />
      )}
      <TlsFailuresCard rows={store.tls} />
    </>
  );
}

type DomainTotals = ReturnType<typeof domainsInScope>[number];

function domainColumns(onPick: (domain: string) => void): VirtualColumn<DomainTotals>[] {
  return [
    {
      key: 'domain',
      label: 'Domain',
      width: 'minmax(200px, 2fr)',
      rowHeader: true,
      cell: (d) => (
        <Button size="sm" variant="ghost" onClick={() => onPick(d.domain)}>
          {d.domain}
        </Button>
      ),
    },
    { key: 'messages', label: 'Messages', width: '130px', numeric: true, cell: (d) => d.messages.toLocaleString() },
    { key: 'pass', label: 'Passed DMARC', width: '130px', numeric: true, cell: (d) => d.dmarcPass.toLocaleString() },
    { key: 'rate', label: 'Pass rate', width: '110px', numeric: true, cell: (d) => percent(d.dmarcPass, d.messages) },
  ];
}

function DomainsCard({ domains, onPick }: { readonly domains: ReturnType<typeof domainsInScope>; readonly onPick: (domain: string) => void }) {
  return (
    <section className="card reports-card" aria-labelledby="reports-domains-title">
      <div className="reports-card__head">
        <h2 id="reports-domains-title" className="reports-card__title">
          Domains
        </h2>
        <span className="list-meta">Pick one for its sending sources and p=reject verdict.</span>
      </div>
      {domains.length === 0 ? (
        <p className="muted">No aggregate report for a domain of this customer.</p>
      ) : (
        <VirtualTable label="Domains with aggregate reports" columns={domainColumns(onPick)} rows={domains} rowKey={(d) => d.domain} rowHeight={44} maxHeight={440} testId="reports-domains" />
      )}
    </section>
  );
}

function Stat({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="stat card">
      <span className="stat__value">{value}</span>
      <span className="stat__label">{label}</span>
    </div>
  );
}
