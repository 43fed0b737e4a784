import { useState, type ChangeEvent } from 'react';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { Table } from '../../components/table.tsx';
import { Tabs } from '../../components/tabs.tsx';
import type { DomainProfile, DomainReport, Severity } from '../../../shared/domain/dns.ts';
import { countOf, parseDomainList, useDeliverability, visibleReports, type SortKey } from './deliverability-store.ts';
import { RecordsPanel } from './records-panel.tsx';
import { ScoreChart } from './score-chart.tsx';
import './deliverability.css';

const TONE: Record<Severity, BadgeTone> = { critical: 'danger', error: 'danger', warning: 'warning', info: 'info', unknown: 'neutral' };

/** Deliverability: bulk DNS/authentication/TLS checks with findings, history and the record generator. */
export function DeliverabilityPage() {
  const [tab, setTab] = useState<'checks' | 'records'>('checks');
  return (
    <div className="page">
      <PageHeader title="Deliverability" description="MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, DANE, PTR and blocklist checks for every domain, with history." />
      <Tabs label="Deliverability views" current={tab} onChange={setTab} items={[{ id: 'checks', label: 'Checks' }, { id: 'records', label: 'Records' }]} />
      {tab === 'checks' ? <ChecksPanel /> : <RecordsPanel />}
    </div>
  );
}

function ChecksPanel() {
  const store = useDeliverability();
  const [text, setText] = useState('');
  const [profile, setProfile] = useState<DomainProfile>('hosted');
  const [selectors, setSelectors] = useState('');
  const domains = parseDomainList(text);

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) setText(await file.text());
  };
  const rows = visibleReports(store);
  const selected = store.reports.find((r) => r.domain === store.selected) ?? null;

  return (
    <>
      <section className="deliverability-form" aria-label="Domains to check">
        <label className="field">
          <span className="field__label">Domains (one per line, or a CSV whose first column is the domain)</span>
          <textarea className="field__control" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={'example.com\nexample.org'} />
        </label>
        <label className="field">
          <span className="field__label">Or load a CSV file</span>
          <input type="file" accept=".csv,.txt" onChange={(e) => void loadFile(e)} />
        </label>
        <SelectField label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as DomainProfile)} options={[{ value: 'hosted', label: 'Hosted' }, { value: 'parked', label: 'Parked' }, { value: 'bulk-sender', label: 'Bulk sender' }]} />
        <TextField label="DKIM selectors" hint="Separated by spaces" value={selectors} onChange={(e) => setSelectors(e.target.value)} />
        <div className="deliverability-toolbar">
          <Button variant="primary" busy={store.running} disabled={domains.length === 0} onClick={() => void store.check(domains, profile, selectors.split(/\s+/).filter(Boolean))}>
            Check {domains.length || ''} {domains.length === 1 ? 'domain' : 'domains'}
          </Button>
          {store.running ? <Button onClick={store.cancel}>Cancel</Button> : null}
        </div>
        {store.progress ? <ProgressBar value={store.progress.done} max={store.progress.total} label={`Checked ${store.progress.done} of ${store.progress.total}`} /> : null}
      </section>
      {store.error ? <ErrorMessage error={store.error} title="The check failed." /> : null}
      {store.reports.length === 0 ? (
        <EmptyState title="No domains checked yet" icon={<Icon name="deliverability" size={28} />}>
          <p>Paste domains or load a CSV, then run the check. Each domain gets a 0–100 health score and findings with the record to fix.</p>
        </EmptyState>
      ) : (
        <>
          <div className="deliverability-toolbar">
            <TextField label="Filter" value={store.filter} onChange={(e) => store.setFilter(e.target.value)} placeholder="domain contains…" />
            <SelectField label="Showing" value={store.minSeverity} onChange={(e) => store.setMinSeverity(e.target.value as Severity | 'all')} options={[{ value: 'all', label: 'All domains' }, { value: 'critical', label: 'With critical' }, { value: 'error', label: 'With error or worse' }, { value: 'warning', label: 'With warning or worse' }]} />
          </div>
          <Table
            caption="Domains by health"
            head={
              <tr>
                {(['domain', 'score', 'critical', 'error', 'warning'] as SortKey[]).map((k) => (
                  <th key={k} scope="col" aria-sort={store.sort.key === k ? (store.sort.descending ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" className="deliverability-sort" onClick={() => store.setSort(k)}>
                      {k[0]!.toUpperCase() + k.slice(1)}
                    </button>
                  </th>
                ))}
              </tr>
            }
          >
            {rows.map((r) => (
              <tr key={r.domain} aria-selected={r.domain === store.selected} onClick={() => void store.select(r.domain)} className="deliverability-row">
                <td>{r.domain}</td>
                <td>
                  <Badge tone={r.score >= 90 ? 'success' : r.score >= 60 ? 'warning' : 'danger'}>{r.score}</Badge>
                </td>
                <td>{countOf(r, 'critical')}</td>
                <td>{countOf(r, 'error')}</td>
                <td>{countOf(r, 'warning')}</td>
              </tr>
            ))}
          </Table>
          {selected ? <DomainDetail report={selected} /> : null}
        </>
      )}
    </>
  );
}

function DomainDetail({ report }: { readonly report: DomainReport }) {
  const history = useDeliverability((s) => s.history);
  return (
    <section aria-labelledby="detail-title" className="detail">
      <h2 id="detail-title">
        {report.domain} — score {report.score}
      </h2>
      <ScoreChart runs={history} />
      {report.findings.length === 0 ? <p>No findings.</p> : null}
      <ul className="deliverability-findings">
        {report.findings.map((f, i) => (
          <li key={`${f.id}-${i}`} className="finding">
            <Badge tone={TONE[f.severity]}>{f.severity === 'unknown' ? 'could not test' : f.severity}</Badge> <code>{f.id}</code>
            <p>{f.message}</p>
            {f.records.length > 0 ? <pre className="deliverability-mono">{f.records.join('\n')}</pre> : null}
            {f.fix ? (
              <p className="list-meta">
                Fix: {f.fix} <CopyButton text={f.fix} label="Copy fix" />
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
