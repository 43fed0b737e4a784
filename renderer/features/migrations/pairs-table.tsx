import type { MigrationBatch, MigrationBatchPair } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Icon } from '../../components/icons.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { errorText, reasonOf } from '../../lib/error-text.ts';
import { PAIR_STATUS, progressOf } from './batch-model.ts';
import { EndpointCell } from './endpoint-cell.tsx';
import { formatByteRate, formatCount, formatEta, formatMessageRate, formatPercent } from './migration-format.ts';
import { ReportPanel } from './report-panel.tsx';
import './migration-tables.css';

/** What the pairs table needs from the batch view around it. */
export interface PairsTableProps {
  readonly batch: MigrationBatch;
  readonly open: ReadonlySet<number>;
  readonly onToggle: (seq: number) => void;
  readonly onRetry: () => void;
  readonly retrying: boolean;
  /** While the batch runs, Retry waits for the other mailboxes to finish. */
  readonly batchActive: boolean;
}

/** The mailboxes of a batch, virtualized (a batch of thousands draws the rows in view): status with errors and Retry, progress, rates, verification, the report on demand. */
export function PairsTable({ batch, open, onToggle, onRetry, retrying, batchActive }: PairsTableProps) {
  const columns: readonly VirtualColumn<MigrationBatchPair>[] = [
    {
      key: 'pair',
      label: 'Mailbox',
      width: 'minmax(190px, 1.5fr)',
      rowHeader: true,
      cell: (p) => (
        <div className="plan-table__pair">
          <EndpointCell source={p.source} target={p.target} />
        </div>
      ),
    },
    { key: 'status', label: 'Status', width: 'minmax(200px, 1.4fr)', cell: (p) => <PairStatus pair={p} onRetry={onRetry} retrying={retrying} batchActive={batchActive} /> },
    ...(batch.options.fleet
      ? [
          {
            key: 'worker',
            label: 'Lane · worker',
            width: 'minmax(140px, 1fr)',
            cell: (p: MigrationBatchPair) => (
              <>
                <span className="mono">{p.lane ?? '—'}</span>
                <span className="vtable__sub">{p.worker ?? (p.status === 'queued' ? 'waiting for a worker' : '—')}</span>
              </>
            ),
          },
        ]
      : []),
    { key: 'progress', label: 'Progress', width: 'minmax(190px, 1.5fr)', cell: (p) => <PairProgress pair={p} /> },
    {
      key: 'rate',
      label: 'Rate',
      width: '110px',
      numeric: true,
      cell: (p) =>
        p.status === 'running' ? (
          <>
            {formatMessageRate(p.messagesPerSecond)}
            <span className="vtable__sub">{formatByteRate(p.bytesPerSecond)}</span>
          </>
        ) : (
          <span className="muted">{formatBytes(p.bytes)}</span>
        ),
    },
    { key: 'eta', label: 'ETA', width: '84px', numeric: true, cell: (p) => (p.status === 'running' ? formatEta(p.etaSeconds) : p.status === 'queued' ? <span className="muted">waiting</span> : '—') },
    {
      key: 'verification',
      label: 'Verification',
      width: 'minmax(110px, 1fr)',
      cell: (p) =>
        p.verified ? (
          <Badge tone={p.verified.clean ? 'success' : 'danger'}>{p.verified.clean ? 'Clean' : `Dirty: ${p.verified.missing} missing, ${p.verified.extra} extra`}</Badge>
        ) : (
          <span className="muted">{p.status === 'done' ? 'Not verified' : '—'}</span>
        ),
    },
    {
      key: 'actions',
      label: <span className="visually-hidden">Details</span>,
      width: '100px',
      cell: (p) => (
        <button type="button" className="btn btn--ghost btn--sm" aria-expanded={open.has(p.seq)} onClick={() => onToggle(p.seq)} aria-label={`Report for ${p.source}`}>
          Report <span className={`chevron ${open.has(p.seq) ? 'chevron--open' : ''}`} aria-hidden="true" />
        </button>
      ),
    },
  ];
  return (
    <VirtualTable
      label="Mailboxes in this batch"
      className="pairs-vtable"
      columns={columns}
      rows={batch.pairs}
      rowKey={(p) => String(p.seq)}
      rowLabel={(p) => p.source}
      rowHeight={72}
      measure
      detail={(p) => (open.has(p.seq) ? <ReportPanel batchId={batch.id} seq={p.seq} source={p.source} version={`${p.status}-${p.passes}-${p.finishedAt ?? ''}`} /> : null)}
    />
  );
}

function PairStatus({ pair, onRetry, retrying, batchActive }: { readonly pair: MigrationBatchPair; readonly onRetry: () => void; readonly retrying: boolean; readonly batchActive: boolean }) {
  const s = PAIR_STATUS[pair.status];
  return (
    <>
      <Badge tone={s.tone}>{s.label}</Badge>
      {pair.error ? (
        <div className="pair-error" role="alert">
          <span>{errorText(pair.error.code)}</span>
          {reasonOf(pair.error) ? <span className="pair-error__reason">{reasonOf(pair.error)}</span> : null}
          <code className="pair-error__code" title={pair.error.message}>{pair.error.code}</code>
          <Button size="sm" busy={retrying} disabled={batchActive} title={batchActive ? 'Retry is available once the other mailboxes of this batch finish' : undefined} onClick={onRetry} icon={<Icon name="refresh" size={14} />} aria-label={`Retry ${pair.source}`}>
            Retry
          </Button>
        </div>
      ) : pair.failed > 0 && !batchActive ? (
        <div className="pair-error">
          <span>{pair.failed} messages failed.</span>
          <Button size="sm" busy={retrying} onClick={onRetry} icon={<Icon name="refresh" size={14} />} aria-label={`Retry ${pair.source}`}>
            Retry
          </Button>
        </div>
      ) : null}
    </>
  );
}

function PairProgress({ pair }: { readonly pair: MigrationBatchPair }) {
  const progress = progressOf(pair);
  const running = pair.status === 'running';
  return (
    <div className="pair-progress">
      <ProgressBar value={progress.done} max={Math.max(progress.total, 1)} label={`Progress of ${pair.source}`} />
      <span className="pair-progress__text">
        <strong>{formatPercent(progress.done, progress.total)}</strong> {formatCount(progress.done)}/{formatCount(progress.total)}
        {pair.foldersTotal ? ` · folder ${Math.min(pair.foldersDone + (running ? 1 : 0), pair.foldersTotal)}/${pair.foldersTotal}` : ''}
      </span>
      {running && pair.folder ? <span className="vtable__sub pair-progress__folder">{pair.folder}</span> : null}
    </div>
  );
}
