import { Fragment, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Table } from '../../components/table.tsx';
import { errorText } from '../../lib/error-text.ts';
import { formatDateTime, formatJson } from '../../lib/format.ts';

/** The journal rows: time, operator, action, object, result; each expands to its before/after values. */
export function AuditTable({ entries }: { readonly entries: readonly AuditEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  return (
    <Table
      caption="Audit journal, newest first"
      head={
        <tr>
          <th scope="col" className="table__narrow">
            <span className="visually-hidden">Details</span>
          </th>
          <th scope="col">Time</th>
          <th scope="col">Operator</th>
          <th scope="col">Action</th>
          <th scope="col">Object</th>
          <th scope="col">Result</th>
        </tr>
      }
    >
      {entries.map((e) => {
        const expanded = open.has(e.seq);
        return (
          <Fragment key={e.seq}>
            <tr>
              <td className="table__narrow">
                <Button size="sm" variant="ghost" aria-expanded={expanded} aria-controls={`audit-${e.seq}`} aria-label={`Details of entry ${e.seq}`} onClick={() => toggle(e.seq)}>
                  <span className={`chevron ${expanded ? 'chevron--open' : ''}`} aria-hidden="true" />
                </Button>
              </td>
              <td>
                <span className="table__primary-text">{formatDateTime(e.at)}</span>
                <RelativeTime iso={e.at} className="table__sub" />
              </td>
              <td>{e.operator}</td>
              <td>
                <code className="mono">{e.action}</code>
              </td>
              <td className="table__wrap">{e.object ?? <span className="muted">—</span>}</td>
              <td>
                {e.result === 'ok' ? (
                  <Badge tone="success">OK</Badge>
                ) : (
                  <span className="result-error" title={e.errorCode ? errorText(e.errorCode) : undefined}>
                    <Badge tone="danger">Error</Badge>
                    {e.errorCode ? <code className="mono">{e.errorCode}</code> : null}
                  </span>
                )}
              </td>
            </tr>
            {expanded ? (
              <tr className="table__detail" id={`audit-${e.seq}`}>
                <td colSpan={6}>
                  <div className="audit-detail">
                    <div>
                      <h3 className="audit-detail__heading">Before</h3>
                      <pre className="json">{formatJson(e.before)}</pre>
                    </div>
                    <div>
                      <h3 className="audit-detail__heading">After</h3>
                      <pre className="json">{formatJson(e.after)}</pre>
                    </div>
                    <dl className="audit-detail__meta">
                      <dt>Entry</dt>
                      <dd>#{e.seq}</dd>
                      <dt>Connection</dt>
                      <dd>{e.connectionId ? <code className="mono">{e.connectionId}</code> : '—'}</dd>
                      <dt>Chain hash</dt>
                      <dd>
                        <code className="mono hash">{e.hash}</code>
                      </dd>
                    </dl>
                  </div>
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </Table>
  );
}
