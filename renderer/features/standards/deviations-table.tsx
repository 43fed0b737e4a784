import type { Deviation } from '../../../shared/domain/standards.ts';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { formatRelative } from '../../lib/format.ts';
import { deviationKey } from './drift-model.ts';

const MODE_TONE: Record<Deviation['mode'], BadgeTone> = { report: 'info', alert: 'warning', remediate: 'danger' };

/** A value with its copy button under it; long values wrap. */
function Copyable({ text, label }: { readonly text: string; readonly label: string }) {
  return (
    <span className="drift-value">
      <code className="drift-value__text">
        {text}
      </code>
      <CopyButton text={text} label={label} />
    </span>
  );
}

function columns(onAccept: ((d: Deviation) => void) | null, onFix: ((d: Deviation) => void) | null): VirtualColumn<Deviation>[] {
  const base: VirtualColumn<Deviation>[] = [
    { key: 'rule', label: 'Rule', width: 'minmax(230px, 1.2fr)', cell: (d) => <code data-rule={d.rule}>{d.rule}</code> },
    { key: 'target', label: 'Target', width: 'minmax(160px, 1.2fr)', rowHeader: true, cell: (d) => d.target },
    { key: 'customer', label: 'Customer', width: 'minmax(100px, 0.7fr)', cell: (d) => d.customer },
    { key: 'expected', label: 'Expected', width: 'minmax(180px, 1.5fr)', cell: (d) => <Copyable text={d.expected} label="Copy expected" /> },
    { key: 'current', label: 'Current', width: 'minmax(180px, 1.5fr)', cell: (d) => <Copyable text={d.current} label="Copy current" /> },
    {
      key: 'mode',
      label: 'Mode',
      width: '120px',
      cell: (d) => (
        <span className="drift-mode">
          <Badge tone={MODE_TONE[d.mode]}>{d.mode}</Badge>
          {d.supported ? null : <Badge tone="neutral">unsupported</Badge>}
        </span>
      ),
    },
    {
      key: 'since',
      label: 'Since',
      width: '120px',
      cell: (d) => (
        <time dateTime={d.since} title={d.since}>
          {formatRelative(d.since)}
        </time>
      ),
    },
  ];
  if (onAccept) {
    base.push({
      key: 'action',
      label: 'Action',
      width: '150px',
      cell: (d) => (
        <span className="drift-actions">
          {onFix ? (
            <Button size="sm" onClick={() => onFix(d)} aria-label={`Fix ${d.rule} for ${d.target}`}>
              Fix
            </Button>
          ) : null}
          <Button size="sm" onClick={() => onAccept(d)} aria-label={`Accept ${d.rule} for ${d.target}`}>
            Accept
          </Button>
        </span>
      ),
    });
  } else {
    base.push({ key: 'accepted', label: 'Accepted', width: 'minmax(180px, 1.2fr)', cell: (d) => (d.accepted ? `${d.accepted.reason} — ${d.accepted.by}` : '') });
  }
  return base;
}

/** Deviations of the latest evaluation, virtualized; with `onAccept`, each row can be accepted, and with `onFix` its fix shown. */
export function DeviationsTable({ rows, label, testId, onAccept, onFix = null }: { readonly rows: readonly Deviation[]; readonly label: string; readonly testId: string; readonly onAccept: ((d: Deviation) => void) | null; readonly onFix?: ((d: Deviation) => void) | null }) {
  return (
    <VirtualTable
      label={label}
      columns={columns(onAccept, onFix)}
      rows={rows}
      rowKey={deviationKey}
      rowLabel={(d) => `${d.rule} on ${d.target}`}
      rowHeight={64}
      measure
      maxHeight={520}
      testId={testId}
      className="drift-table"
    />
  );
}
