import { useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ChangeDiff } from '../../components/change-diff.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import type { AuditWords } from '../../lib/audit-text.ts';
import { errorText } from '../../lib/error-text.ts';
import { formatDateTime } from '../../lib/format.ts';

/** The journal rows in words (time, operator, what happened, where, result), virtualized; each expands to a highlighted before/after diff. */
export function AuditTable({ entries, words }: { readonly entries: readonly AuditEntry[]; readonly words: (entry: AuditEntry) => AuditWords }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  const columns: readonly VirtualColumn<AuditEntry>[] = [
    {
      key: 'toggle',
      label: <span className="visually-hidden">Details</span>,
      width: '48px',
      cell: (e) => (
        <Button size="sm" variant="ghost" aria-expanded={open.has(e.seq)} aria-controls={`audit-${e.seq}`} aria-label={`Details of entry ${e.seq}`} onClick={() => toggle(e.seq)}>
          <span className={`chevron ${open.has(e.seq) ? 'chevron--open' : ''}`} aria-hidden="true" />
        </Button>
      ),
    },
    {
      key: 'time',
      label: 'Time',
      width: '170px',
      cell: (e) => (
        <>
          <span className="table__primary-text">{formatDateTime(e.at)}</span>
          <RelativeTime iso={e.at} className="vtable__sub" />
        </>
      ),
    },
    { key: 'operator', label: 'Operator', width: 'minmax(90px, 0.6fr)', cell: (e) => e.operator },
    {
      key: 'what',
      label: 'What happened',
      width: 'minmax(260px, 2.6fr)',
      rowHeader: true,
      cell: (e) => (
        <>
          <span className="vtable__line audit-summary" title={words(e).summary}>
            {words(e).summary}
          </span>
          <code className="vtable__sub mono">{e.action}</code>
        </>
      ),
    },
    { key: 'connection', label: 'Connection', width: 'minmax(110px, 1fr)', cell: (e) => words(e).connection ?? <span className="muted">—</span> },
    {
      key: 'result',
      label: 'Result',
      width: '150px',
      cell: (e) =>
        e.result === 'ok' ? (
          <Badge tone="success">OK</Badge>
        ) : (
          <span className="result-error" title={e.errorCode ? errorText(e.errorCode) : undefined}>
            <Badge tone="danger">Error</Badge>
            {e.errorCode ? <code className="mono">{e.errorCode}</code> : null}
          </span>
        ),
    },
  ];
  return (
    <VirtualTable
      label="Audit journal, newest first"
      columns={columns}
      rows={entries}
      rowKey={(e) => String(e.seq)}
      rowHeight={56}
      measure
      testId="audit-scroll"
      detail={(e) => (open.has(e.seq) ? <AuditDetail entry={e} words={words(e)} /> : null)}
    />
  );
}

function AuditDetail({ entry: e, words }: { readonly entry: AuditEntry; readonly words: AuditWords }) {
  return (
    <div className="audit-detail" id={`audit-${e.seq}`}>
      <div>
        <h3 className="audit-detail__heading">Change</h3>
        <ChangeDiff before={e.before} after={e.after} label={`Before and after of entry ${e.seq}`} />
      </div>
      <dl className="audit-detail__meta">
        <dt>Entry</dt>
        <dd>#{e.seq}</dd>
        <dt>Action</dt>
        <dd>
          <code className="mono">{e.action}</code>
        </dd>
        <dt>Connection</dt>
        <dd>
          {words.connection ?? '—'}
          {e.connectionId ? <code className="mono hash"> {e.connectionId}</code> : null}
        </dd>
        <dt>Chain hash</dt>
        <dd>
          <code className="mono hash">{e.hash}</code>
        </dd>
      </dl>
    </div>
  );
}
