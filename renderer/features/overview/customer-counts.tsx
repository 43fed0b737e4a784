import { monthlyReportHash } from '../../../shared/lib/monthly-report-route.ts';
import type { StandardEvaluation } from '../../../shared/domain/standards.ts';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { downloadText, toCsv } from '../../lib/csv.ts';
import { platformName } from '../../lib/platform-name.ts';
import { driftRows, type CustomerFigures } from './customer-overview.ts';

const DRIFT_HEADER = ['standard', 'customer', 'rule', 'target', 'expected', 'current', 'mode', 'since'];

/** Domains, mailboxes and storage per customer and platform, with each customer's health, drift and running migrations. */
export function CustomerCounts({ customers, evaluations }: { readonly customers: readonly CustomerFigures[]; readonly evaluations: readonly StandardEvaluation[] | null }) {
  const onlyUnassigned = customers.every((c) => c.name === UNASSIGNED_CUSTOMER);
  return (
    <section className="card" aria-labelledby="per-customer-title">
      <h2 id="per-customer-title" className="card__title">Per customer</h2>
      {onlyUnassigned ? (
        <p className="muted">No connection belongs to a customer yet. Choose “Customer” on a connection’s row on the Connections page to group its domains under an MSP client.</p>
      ) : null}
      <div className="overview-scroll">
        <table className="table overview-table" data-testid="per-customer">
          <caption className="visually-hidden">Domains, mailboxes, storage, health, drift and running migrations per customer and platform</caption>
          <thead>
            <tr>
              <th scope="col">Customer / platform</th>
              <th scope="col" className="table__num">Domains</th>
              <th scope="col" className="table__num">Mailboxes</th>
              <th scope="col" className="table__num">Storage</th>
              <th scope="col">Health</th>
              <th scope="col" className="table__num">Drift</th>
              <th scope="col" className="table__num">Migrations</th>
            </tr>
          </thead>
          {customers.map((c) => (
            <tbody key={c.name} aria-label={`Customer ${c.name}`}>
              <tr className="overview-table__group overview-table__group--customer" data-customer={c.name}>
                <th scope="rowgroup">
                  {c.name === UNASSIGNED_CUSTOMER ? 'Unassigned' : c.name}{' '}
                  <a className="overview-table__report" href={monthlyReportHash({ customer: c.name })} aria-label={`Monthly report for ${c.name}`}>
                    Report
                  </a>
                </th>
                <td className="table__num" data-figure="domains">{c.domains.toLocaleString()}</td>
                <td className="table__num" data-figure="mailboxes">{c.mailboxes.toLocaleString()}</td>
                <td className="table__num" data-figure="storage">{c.usedBytes === null ? '—' : formatBytes(c.usedBytes)}</td>
                <td>
                  <Health customer={c} />
                </td>
                <td className="table__num" data-figure="drift">{c.deviations === null ? '—' : c.deviations.toLocaleString()}</td>
                <td className="table__num" data-figure="migrations">{c.migrations === null ? '—' : c.migrations.toLocaleString()}</td>
              </tr>
              {c.platforms.map((p) => (
                <tr key={p.kind} data-platform={p.kind}>
                  <th scope="row" className="overview-table__name">
                    {`${platformName(p.kind)} (${p.connections})`}
                  </th>
                  <td className="table__num">{p.kind === 'imap' ? '—' : p.domains.toLocaleString()}</td>
                  <td className="table__num">{p.kind === 'imap' ? '—' : p.mailboxes.toLocaleString()}</td>
                  <td className="table__num">{p.usedBytes === null ? '—' : formatBytes(p.usedBytes)}</td>
                  <td colSpan={3} />
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      <DriftFooter evaluations={evaluations} />
    </section>
  );
}

function Health({ customer: c }: { readonly customer: CustomerFigures }) {
  return (
    <span className="overview-health">
      {c.tested === 0 ? <span className="muted">Untested</span> : <Badge tone={c.failing ? 'danger' : 'success'}>{c.failing ? `${c.failing} of ${c.tested} ${plural(c.tested, 'test')} failing` : `${c.tested} ${plural(c.tested, 'test')} passing`}</Badge>}
      {c.alignment === null ? null : <Badge tone={c.alignment >= 80 ? 'success' : c.alignment >= 50 ? 'warning' : 'danger'}>{`Alignment ${c.alignment} / 100`}</Badge>}
      {c.deliverability ? <span className="muted">{`Deliverability ${c.deliverability.average} / 100 (${c.deliverability.checked})`}</span> : null}
    </span>
  );
}

const plural = (n: number, word: string): string => (n === 1 ? word : `${word}s`);

function DriftFooter({ evaluations }: { readonly evaluations: readonly StandardEvaluation[] | null }) {
  if (evaluations === null) return <p className="muted">The standards could not be read, so drift is not shown.</p>;
  if (evaluations.length === 0) {
    return (
      <p className="muted">
        No standard has been evaluated yet: drift appears after <code>mailroom standards evaluate</code> or the next scheduled evaluation.
      </p>
    );
  }
  const latest = evaluations.reduce((a, b) => (a.at > b.at ? a : b));
  const rows = driftRows(evaluations);
  return (
    <div className="overview-drift">
      <span className="muted">
        {`Drift: ${rows.length.toLocaleString()} ${plural(rows.length, 'deviation')} in the latest evaluation of ${evaluations.map((e) => `“${e.standard}”`).join(', ')}, `}
        <RelativeTime iso={latest.at} />
      </span>
      <span className="overview-drift__actions">
        <Button size="sm" variant="ghost" disabled={rows.length === 0} onClick={() => downloadText('mailroom-drift.csv', toCsv(DRIFT_HEADER, rows))}>
          Drift data (CSV)
        </Button>
        {/* The Drift page (#/drift) lists, filters and accepts these deviations. */}
        <a className="card__link" href="#/drift">
          Drift →
        </a>
      </span>
    </div>
  );
}
