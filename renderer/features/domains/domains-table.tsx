import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Table } from '../../components/table.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { canDo, whyNot } from '../../lib/capability-support.ts';
import { useCapabilityLookup } from '../../state/capabilities-store.ts';

function healthTone(score: number): 'success' | 'warning' | 'danger' {
  return score >= 80 ? 'success' : score >= 50 ? 'warning' : 'danger';
}

/** Every cached domain: platform, mailbox count, storage with a bar, health score and staleness. */
export function DomainsTable({ domains, health, onDelete, onDkim }: {
  readonly domains: readonly CachedDomain[];
  readonly health: Readonly<Record<string, number | null>>;
  readonly onDelete: (d: CachedDomain) => void;
  readonly onDkim: (d: CachedDomain) => void;
}) {
  const capsOf = useCapabilityLookup();
  return (
    <Table
      caption="Domains"
      head={
        <tr>
          <th scope="col">Domain</th>
          <th scope="col">Platform</th>
          <th scope="col" className="table__num">Mailboxes</th>
          <th scope="col">Storage</th>
          <th scope="col">Health</th>
          <th scope="col" className="table__actions">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      }
    >
      {domains.map((d) => {
        const caps = capsOf(d.connectionId);
        const score = health[d.name];
        return (
          <tr key={`${d.connectionId}/${d.name}`}>
            <th scope="row" className="table__primary">
              <a href={`#/mailboxes`} className="table__link" onClick={() => sessionStorage.setItem('mailroom.domain-filter', `${d.connectionId}/${d.name}`)}>
                {d.name}
              </a>
              {!d.active ? <Badge tone="warning">Inactive</Badge> : null}
              {d.stale ? <Badge tone="warning">Stale</Badge> : null}
              <span className="table__sub">{d.aliasDomains?.length ? `Aliases: ${d.aliasDomains.join(', ')}` : (d.description ?? '')}</span>
            </th>
            <td>
              {d.connectionName}
              <span className="table__sub">{d.connectionKind}</span>
            </td>
            <td className="table__num">{d.mailboxCount?.toLocaleString() ?? '—'}</td>
            <td>
              <UsageBar used={d.usedBytes} quota={d.quotaBytes} />
            </td>
            <td>{score === undefined ? <span className="muted">…</span> : score === null ? <a href="#/deliverability" className="muted">Not checked</a> : <Badge tone={healthTone(score)}>{score} / 100</Badge>}</td>
            <td className="table__actions">
              <Button size="sm" variant="ghost" onClick={() => onDkim(d)} aria-label={`DKIM of ${d.name}`}>
                DKIM
              </Button>
              <Button size="sm" variant="ghost" className="btn--danger-text" disabled={!canDo(caps?.domain.remove)} title={whyNot(caps?.domain.remove, 'Delete domains')} onClick={() => onDelete(d)} aria-label={`Delete ${d.name}`}>
                Delete
              </Button>
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
