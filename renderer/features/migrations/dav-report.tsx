import type { DavCopyReport } from '../../../shared/domain/dav.ts';
import { Badge } from '../../components/badge.tsx';
import { Table } from '../../components/table.tsx';
import { formatCount } from './migration-format.ts';

/** The calendar and contact copy of a mailbox pair: per collection, source items, copied, unchanged and failed. */
export function DavReport({ report, source }: { readonly report: DavCopyReport; readonly source: string }) {
  return (
    <div className="report__dav">
      <div className="report__head">
        <Badge tone={report.complete ? 'success' : 'danger'}>{report.complete ? 'Complete' : 'Incomplete'}</Badge>
        <span>
          {report.collections.length} calendars and address books{report.failures.length ? `, ${report.failures.length} items failed` : ', every item read back equal'}
        </span>
      </div>
      {report.collections.length ? (
        <Table
          caption={`Calendars and contacts of ${source}`}
          className="report__table"
          head={
            <tr>
              <th>Collection</th>
              <th className="table__num">Source</th>
              <th className="table__num">Copied</th>
              <th className="table__num">Unchanged</th>
              <th className="table__num">Failed</th>
            </tr>
          }
        >
          {report.collections.map((c) => (
            <tr key={c.targetUrl} aria-label={`${c.kind === 'calendar' ? 'Calendar' : 'Address book'} ${c.sourceName}`}>
              <td>
                <span className="table__primary-text">{c.sourceName}</span>
                <span className="table__sub">{c.kind === 'calendar' ? 'calendar' : 'address book'}</span>
              </td>
              <td className="table__num">{formatCount(c.sourceCount)}</td>
              <td className="table__num">{formatCount(c.copied)}</td>
              <td className="table__num">{formatCount(c.unchanged)}</td>
              <td className={`table__num ${c.failed ? 'danger-text' : ''}`}>{formatCount(c.failed)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
