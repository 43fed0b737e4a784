import type { StorageSummary } from '../../../shared/domain/storage.ts';
import { Badge } from '../../components/badge.tsx';
import { Table } from '../../components/table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { platformName } from '../../lib/platform-name.ts';

/** Cost of the actual inventory per platform: the assigned plan, and the same seats priced per seat and flat. */
export function CostTable({ summary }: { readonly summary: StorageSummary }) {
  const money = (v: number | null) => (v === null ? '—' : v.toLocaleString(undefined, { style: 'currency', currency: summary.currency }));
  return (
    <section className="card" aria-label="Cost comparison">
      <h2 className="card__title">Cost: per seat versus flat rate</h2>
      <p className="card__subtitle">Monthly, for the mailboxes each platform holds today. Prices and plans: <a href="#/settings/prices">Settings › Price table</a>.</p>
      <Table
        caption="Cost per platform"
        head={
          <tr>
            <th scope="col">Platform</th>
            <th scope="col" className="table__num">Active seats</th>
            <th scope="col" className="table__num">Used</th>
            <th scope="col" className="table__num">Assigned plan</th>
            <th scope="col" className="table__num">Per seat</th>
            <th scope="col" className="table__num">Flat</th>
          </tr>
        }
      >
        {summary.platforms.map((p) => {
          const cheaper = p.perSeatCost !== null && p.flatCost !== null ? (p.perSeatCost < p.flatCost ? 'seat' : 'flat') : null;
          return (
            <tr key={p.connectionId}>
              <th scope="row">
                {p.connectionName}
                <span className="table__sub">{platformName(p.kind)}</span>
              </th>
              <td className="table__num">{p.activeMailboxes.toLocaleString()}</td>
              <td className="table__num">{formatBytes(p.usedBytes)}</td>
              <td className="table__num">{money(p.monthlyCost)}</td>
              <td className="table__num">
                {money(p.perSeatCost)} {cheaper === 'seat' ? <Badge tone="success">cheaper</Badge> : null}
              </td>
              <td className="table__num">
                {money(p.flatCost)} {cheaper === 'flat' ? <Badge tone="success">cheaper</Badge> : null}
              </td>
            </tr>
          );
        })}
      </Table>
    </section>
  );
}
