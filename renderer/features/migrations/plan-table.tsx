import { Fragment, useState } from 'react';
import type { MigrationPlanRow } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { Table } from '../../components/table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { EndpointCell } from './endpoint-cell.tsx';
import { formatCount, formatEta } from './migration-format.ts';
import { rowFacts, type WarningKind } from './plan-model.ts';

const KIND_LABEL: Record<WarningKind, string> = { oversize: 'Oversize', keywords: 'Keywords', refused: 'Folder name', labels: 'Gmail labels', other: 'Note' };

/** The mailboxes of a plan with their inventory, estimates and warnings; the checkbox keeps or excludes a row. */
export function PlanTable({ rows, excluded, onToggle }: { readonly rows: readonly MigrationPlanRow[]; readonly excluded: ReadonlySet<number>; readonly onToggle: (seq: number) => void }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggleOpen = (seq: number) => setOpen((s) => (s.has(seq) ? new Set([...s].filter((x) => x !== seq)) : new Set([...s, seq])));
  return (
    <Table
      caption="Mailboxes in this plan"
      className="plan-table"
      head={
        <tr>
          <th className="table__narrow">
            <span className="visually-hidden">Include</span>
          </th>
          <th>Mailbox</th>
          <th className="table__num">Folders</th>
          <th className="table__num">Messages</th>
          <th className="table__num">Size</th>
          <th className="table__num">Oversize</th>
          <th className="table__num">Label overhead</th>
          <th>Refused names</th>
          <th className="table__num">ETA</th>
          <th className="table__actions">
            <span className="visually-hidden">Warnings</span>
          </th>
        </tr>
      }
    >
      {rows.map((row) => {
        const f = rowFacts(row);
        const off = excluded.has(row.seq);
        const isOpen = open.has(row.seq);
        return (
          <Fragment key={row.seq}>
            <tr className={off ? 'plan-table__row--excluded' : undefined} aria-label={`${row.source} to ${row.target}`}>
              <td className="table__narrow">
                <input type="checkbox" className="plan-table__check" checked={!off} onChange={() => onToggle(row.seq)} aria-label={`Include ${row.source}`} />
              </td>
              <td className="plan-table__pair">
                <EndpointCell source={row.source} target={row.target} />
                        {!row.hasSourceSecret || !row.hasTargetSecret ? <Badge tone="warning">{!row.hasSourceSecret ? 'No source password' : 'No target password'}</Badge> : null}
              </td>
              <td className="table__num">{formatCount(f.folders)}</td>
              <td className="table__num">{formatCount(f.messages)}</td>
              <td className="table__num">{formatBytes(f.bytes)}</td>
              <td className="table__num">{f.oversize ? <Badge tone="danger">{f.oversize}</Badge> : formatCount(f.oversize)}</td>
              <td className="table__num">{f.labelOverheadBytes ? <span className="warning-text">{formatBytes(f.labelOverheadBytes)}</span> : f.labelOverheadBytes === null ? '—' : '0'}</td>
              <td>{f.refused.length ? <span className="warning-text" title={f.refused.join(', ')}>{f.refused.length === 1 ? f.refused[0] : `${f.refused.length} folders`}</span> : <span className="muted">{row.estimate ? 'None' : '—'}</span>}</td>
              <td className="table__num">
                {row.estimate ? formatEta(f.seconds) : <Badge>No inventory</Badge>}
                {f.limitedBy && f.limitedBy !== 'none' ? <span className="table__sub">by {f.limitedBy}</span> : null}
              </td>
              <td className="table__actions">
                {f.warnings.length ? (
                  <button type="button" className="btn btn--ghost btn--sm" aria-expanded={isOpen} onClick={() => toggleOpen(row.seq)} aria-label={`${f.warnings.length} warnings for ${row.source}`}>
                    <Badge tone="warning">{f.warnings.length}</Badge>
                    <span className={`chevron ${isOpen ? 'chevron--open' : ''}`} aria-hidden="true" />
                  </button>
                ) : row.estimate ? (
                  <Badge tone="success">Ready</Badge>
                ) : null}
              </td>
            </tr>
            {isOpen ? (
              <tr className="table__detail">
                <td colSpan={10}>
                  <ul className="warning-list" aria-label={`Warnings for ${row.source}`}>
                    {f.warnings.map((w) => (
                      <li key={w.text} className={`warning-list__item warning-list__item--${w.kind}`}>
                        <span className="warning-list__kind">{KIND_LABEL[w.kind]}</span>
                        <span>{w.text}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </Table>
  );
}
