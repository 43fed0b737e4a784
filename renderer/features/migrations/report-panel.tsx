import { useEffect } from 'react';
import { Badge } from '../../components/badge.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Table } from '../../components/table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { formatDateTime } from '../../lib/format.ts';
import { DavReport } from './dav-report.tsx';
import { formatCount } from './migration-format.ts';
import { reportKey, useMigrations } from './migrations-store.ts';

/** The verification report of one mailbox pair: per folder, source and target counts, missing and extra. */
export function ReportPanel({ batchId, seq, source, version }: { readonly batchId: string; readonly seq: number; readonly source: string; readonly version: string }) {
  const state = useMigrations((s) => s.reports[reportKey(batchId, seq)]);
  useEffect(() => {
    void useMigrations.getState().loadReport(batchId, seq);
  }, [batchId, seq, version]);
  if (!state || (state.status === 'loading')) return <div className="loading loading--inline"><Spinner label={`Loading the report for ${source}`} /></div>;
  if (!state.result.ok) return <ErrorMessage error={state.result.error} title="Could not load the verification report." compact />;
  const report = state.result.value;
  const dirtyFolders = report.folders.filter((f) => f.missing > 0 || f.extra > 0).length;
  return (
    <section className="report" aria-label={`Verification of ${source}`}>
      <div className="report__head">
        <Badge tone={report.clean ? 'success' : 'danger'}>{report.clean ? 'Clean' : 'Dirty'}</Badge>
        <span>
          {report.folders.length} folders checked{dirtyFolders ? `, ${dirtyFolders} with differences` : ', every message accounted for'}
          {report.verifiedAt ? ` · ${formatDateTime(report.verifiedAt)}` : ' · not verified yet'}
        </span>
      </div>
      {report.folders.length ? (
        <Table
          caption={`Folders of ${source}`}
          className="report__table"
          head={
            <tr>
              <th>Folder</th>
              <th className="table__num">Source</th>
              <th className="table__num">Target</th>
              <th className="table__num">Copied</th>
              <th className="table__num">Missing</th>
              <th className="table__num">Extra</th>
              <th>Check</th>
            </tr>
          }
        >
          {report.folders.map((f) => {
            const ok = f.missing === 0 && f.extra === 0;
            return (
              <tr key={f.sourcePath} aria-label={`Folder ${f.sourcePath}`}>
                <td>
                  <span className="table__primary-text">{f.sourcePath}</span>
                  {f.targetPath !== f.sourcePath ? <span className="table__sub">→ {f.targetPath}</span> : null}
                </td>
                <td className="table__num">{formatCount(f.sourceCount)}</td>
                <td className="table__num">{formatCount(f.targetCount)}</td>
                <td className="table__num">{formatCount(f.copied)}</td>
                <td className={`table__num ${f.missing ? 'danger-text' : ''}`}>{formatCount(f.missing)}</td>
                <td className={`table__num ${f.extra ? 'warning-text' : ''}`}>{formatCount(f.extra)}</td>
                <td>
                  <Badge tone={ok ? 'success' : 'danger'}>{ok ? 'Clean' : 'Dirty'}</Badge> <span className="table__sub">{f.deep ? 'message by message' : 'by counts'}</span>
                </td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      {report.dav ? <DavReport report={report.dav} source={source} /> : null}
      {report.failures.length ? (
        <div className="report__failures">
          <h4 className="test-result__heading">Messages that failed ({report.failures.length})</h4>
          <ul className="warning-list">
            {report.failures.slice(0, 20).map((x) => (
              <li key={`${x.sourcePath}-${x.uid}`} className="warning-list__item warning-list__item--oversize">
                <span className="warning-list__kind">{x.errorCode}</span>
                <span>
                  {x.sourcePath} UID {x.uid} ({formatBytes(x.size)}): {x.errorMessage}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {report.warnings.length ? (
        <ul className="warning-list" aria-label="Warnings">
          {report.warnings.map((w) => (
            <li key={w} className="warning-list__item warning-list__item--other">
              <span className="warning-list__kind">Note</span>
              <span>{w}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
