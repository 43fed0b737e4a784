import { useEffect, useMemo, useState } from 'react';
import type { Severity } from '../../../shared/domain/dns.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { CheckForm } from './check-form.tsx';
import { useDeliverability, visibleRows } from './deliverability-store.ts';
import { DomainDetail } from './domain-detail.tsx';
import { DomainTable } from './domain-table.tsx';
import { AlertsToggle } from './finding-alerts.tsx';
import { RecordsPanel } from './records-panel.tsx';
import './deliverability.css';

type View = 'checks' | 'records';

/** Deliverability: bulk DNS/authentication/TLS checks with findings, history, monitoring and the record generator. */
export function DeliverabilityPage() {
  const [tab, setTab] = useState<View>('checks');
  const [text, setText] = useState('');
  const [recordsDomain, setRecordsDomain] = useState('');
  const load = useDeliverability((s) => s.load);
  useEffect(() => void load(), [load]);
  const generateFor = (domain: string) => {
    setRecordsDomain(domain);
    setTab('records');
  };
  return (
    <div className="page dlv-page">
      <PageHeader title="Deliverability" description="MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, DANE, reverse DNS and blocklist checks for every domain, with history and alerts." />
      <Tabs label="Deliverability views" current={tab} onChange={setTab} items={[{ id: 'checks', label: 'Checks' }, { id: 'records', label: 'Records and keys' }]} />
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="dlv-panel">
        {tab === 'checks' ? <ChecksPanel text={text} onText={setText} onGenerate={generateFor} /> : <RecordsPanel initialDomain={recordsDomain} />}
      </div>
    </div>
  );
}

function ChecksPanel({ text, onText, onGenerate }: { readonly text: string; readonly onText: (t: string) => void; readonly onGenerate: (domain: string) => void }) {
  const store = useDeliverability();
  const { rows: all, sort, filter, minSeverity } = store;
  const rows = useMemo(() => visibleRows({ rows: all, sort, filter, minSeverity }), [all, sort, filter, minSeverity]);
  const monitored = useMemo(() => new Set(store.monitored.map((m) => m.domain)), [store.monitored]);
  const totals = useMemo(() => {
    const t = { critical: 0, error: 0, warning: 0, healthy: 0 };
    for (const r of store.rows) {
      if (r.counts.critical > 0) t.critical++;
      else if (r.counts.error > 0) t.error++;
      else if (r.counts.warning > 0) t.warning++;
      else t.healthy++;
    }
    return t;
  }, [store.rows]);
  const recheck = (domain: string) => {
    const row = store.rows.find((r) => r.domain === domain);
    void store.check([domain], row?.profile ?? 'hosted', []);
  };

  return (
    <>
      <CheckForm text={text} onText={onText} />
      {store.error ? <ErrorMessage error={store.error} title="The check failed." /> : null}
      {store.cancelled ? (
        <div className="banner dlv-banner" role="status">
          Check cancelled after {store.cancelled.checked.toLocaleString()} of {store.cancelled.total.toLocaleString()} domains; those results are kept.
        </div>
      ) : null}
      {!store.loaded ? (
        <div className="loading">
          <Spinner label="Loading stored results" />
        </div>
      ) : store.rows.length === 0 ? (
        <EmptyState title="No domains checked yet" icon={<Icon name="deliverability" size={28} />}>
          <p>Paste domains, load a CSV or take them from the cache, then run the check. Each domain gets a 0–100 health score and findings with the record to fix.</p>
        </EmptyState>
      ) : (
        <>
          <div className="stats dlv-stats">
            <Stat label="Domains" value={store.rows.length} />
            <Stat label="Critical" value={totals.critical} tone={totals.critical ? 'danger' : undefined} onClick={() => store.setMinSeverity('critical')} />
            <Stat label="Errors" value={totals.error} tone={totals.error ? 'danger' : undefined} onClick={() => store.setMinSeverity('error')} />
            <Stat label="Warnings only" value={totals.warning} onClick={() => store.setMinSeverity('warning')} />
            <Stat label="Healthy" value={totals.healthy} tone={totals.healthy ? 'success' : undefined} />
          </div>
          <div className="dlv-split">
            <section className="dlv-split__list" aria-label="Domain list">
              <div className="dlv-filters">
                <TextField label="Filter" value={store.filter} onChange={(e) => store.setFilter(e.target.value)} placeholder="Domain contains…" type="search" />
                <SelectField
                  label="Showing"
                  value={store.minSeverity}
                  onChange={(e) => store.setMinSeverity(e.target.value as Severity | 'all')}
                  options={[
                    { value: 'all', label: 'All domains' },
                    { value: 'critical', label: 'With a critical finding' },
                    { value: 'error', label: 'With an error or worse' },
                    { value: 'warning', label: 'With a warning or worse' },
                  ]}
                />
                <AlertsToggle />
              </div>
              {rows.length === 0 ? (
                <EmptyState title="No domain matches">
                  <p>Nothing matches this filter.</p>
                  <Button size="sm" onClick={() => (store.setFilter(''), store.setMinSeverity('all'))}>
                    Show all domains
                  </Button>
                </EmptyState>
              ) : (
                <DomainTable rows={rows} total={store.rows.length} sort={store.sort} selected={store.selected} monitored={monitored} onSort={store.setSort} onSelect={(d) => void store.select(d)} />
              )}
            </section>
            <div className="dlv-split__detail">
              <DomainDetail onRecheck={recheck} onGenerate={onGenerate} />
            </div>
          </div>
        </>
      )}
    </>
  );
}

function Stat({ label, value, tone, onClick }: { readonly label: string; readonly value: number; readonly tone?: 'danger' | 'success' | undefined; readonly onClick?: () => void }) {
  const body = (
    <>
      <span className="stat__value">{value.toLocaleString()}</span>
      <span className="stat__label">{label}</span>
    </>
  );
  const className = `stat card ${tone ? `stat--${tone}` : ''}`;
  return onClick ? (
    <button type="button" className={`${className} stat--link dlv-stat-button`} onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className={className}>{body}</div>
  );
}
