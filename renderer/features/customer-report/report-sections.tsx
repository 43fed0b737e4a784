import type { ReactNode } from 'react';
import type { MonthlyReport } from '../../../shared/domain/monthly-report.ts';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import { formatBytes } from '../../lib/bytes.ts';
import { formatDateTime } from '../../lib/format.ts';

const money = (v: number | null): string => (v === null ? '—' : v.toFixed(2));
const score = (v: number | null): string => (v === null ? '—' : String(v));
const monthName = (month: string): string => new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The body of a monthly report: what the client reads, in the order a client reads it. */
export function ReportSections({ report: r }: { readonly report: MonthlyReport }) {
  const lowest = r.alignment.reduce<number | null>((m, a) => (a.last === null ? m : m === null ? a.last : Math.min(m, a.last)), null);
  return (
    <>
      <header className="monthly-report__head">
        <p className="monthly-report__kicker">Monthly email report</p>
        <h1>{r.customer === UNASSIGNED_CUSTOMER ? 'Unassigned' : r.customer}</h1>
        <p className="monthly-report__period">
          {monthName(r.month)} <span className="monthly-report__faint">· generated {formatDateTime(r.generatedAt)}</span>
        </p>
      </header>

      <section className="monthly-report__figures" aria-label="Key figures">
        <Figure name="seats" label="Seats" value={r.seats.toLocaleString()} note={`${r.activeSeats.toLocaleString()} active`} />
        <Figure name="storage" label="Storage" value={formatBytes(r.usedBytes)} raw={r.usedBytes} />
        <Figure name="cost" label={`Cost per month (${r.currency})`} value={money(r.cost.current)} />
        <Figure name="deliverability" label="Deliverability score" value={score(r.deliverability.average)} note={`${r.deliverability.domains.length} domain(s) checked`} />
        <Figure name="alignment" label="Alignment score" value={score(lowest)} note={r.alignment.length ? 'lowest standard, month end' : 'no evaluation this month'} />
        <Figure name="drift" label="Open deviations" value={String(r.drift.open)} note={`${r.drift.opened} opened, ${r.drift.resolved} resolved`} />
      </section>

      <Section title="Seats, storage and cost" empty={r.platforms.length === 0 ? 'No platform holds this customer’s mail.' : null}>
        <table className="table monthly-report__table" aria-label="Cost per platform">
          <Head columns={[['Platform', false], ['Seats', true], ['Storage', true], [`Current (${r.currency})`, true], [`Per seat (${r.currency})`, true], [`Flat rate (${r.currency})`, true]]} />
          <tbody>
            {r.platforms.map((p) => (
              <tr key={p.connection} data-platform={p.connection}>
                <th scope="row">
                  {p.connection} <span className="monthly-report__faint">{p.kind}</span>
                </th>
                <td className="table__num" data-figure="seats">{p.seats.toLocaleString()}</td>
                <td className="table__num">{formatBytes(p.usedBytes)}</td>
                <td className="table__num" data-figure="cost">{money(p.monthlyCost)}</td>
                <td className="table__num" data-figure="per-seat">{money(p.perSeatCost)}</td>
                <td className="table__num" data-figure="flat">{money(p.flatCost)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-platform="total">
              <th scope="row">Total</th>
              <td className="table__num" data-figure="seats">{r.seats.toLocaleString()}</td>
              <td className="table__num">{formatBytes(r.usedBytes)}</td>
              <td className="table__num" data-figure="cost">{money(r.cost.current)}</td>
              <td className="table__num" data-figure="per-seat">{money(r.cost.perSeat)}</td>
              <td className="table__num" data-figure="flat">{money(r.cost.flat)}</td>
            </tr>
          </tfoot>
        </table>
      </Section>

      <Section title="Deliverability" empty={r.deliverability.domains.length === 0 ? 'No domain of this customer was checked this month.' : null}>
        <table className="table monthly-report__table" aria-label="Deliverability per domain">
          <Head columns={[['Domain', false], ['Score', true], ['Last checked', false]]} />
          <tbody>
            {r.deliverability.domains.map((d) => (
              <tr key={d.domain} data-domain={d.domain}>
                <th scope="row">{d.domain}</th>
                <td className="table__num" data-figure="score">{d.score}</td>
                <td>{formatDateTime(d.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Alignment with standards" empty={r.alignment.length === 0 ? 'No standard was evaluated for this customer this month.' : null}>
        <table className="table monthly-report__table" aria-label="Alignment per standard">
          <Head columns={[['Standard', false], ['Month start', true], ['Month end', true], ['Lowest', true], ['Supported rules only', true], ['Evaluations', true]]} />
          <tbody>
            {r.alignment.map((a) => (
              <tr key={a.standard} data-standard={a.standard}>
                <th scope="row">{a.standard}</th>
                <td className="table__num" data-figure="first">{score(a.first)}</td>
                <td className="table__num" data-figure="last">{score(a.last)}</td>
                <td className="table__num" data-figure="lowest">{score(a.lowest)}</td>
                <td className="table__num" data-figure="supported">{score(a.lastSupported)}</td>
                <td className="table__num" data-figure="evaluations">{a.evaluations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Drift" empty={r.drift.items.length === 0 ? 'No deviation from the standards this month.' : null}>
        <table className="table monthly-report__table" aria-label="Deviations this month">
          <Head columns={[['Rule', false], ['Target', false], ['Mode', false], ['Since', false], ['Resolved', false]]} />
          <tbody>
            {r.drift.items.map((d) => (
              <tr key={`${d.standard} ${d.rule} ${d.target} ${d.since}`} data-drift={`${d.rule} ${d.target}`}>
                <td><code>{d.rule}</code></td>
                <td className="monthly-report__wrap">{d.target}</td>
                <td>{d.mode}</td>
                <td>{formatDateTime(d.since)}</td>
                <td>{d.resolvedAt ? formatDateTime(d.resolvedAt) : 'open'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Migrations completed" empty={r.migrations.length === 0 ? 'No migration finished this month.' : null}>
        <table className="table monthly-report__table" aria-label="Migrations completed">
          <Head columns={[['Plan', false], ['Mailboxes', true], ['Messages', true], ['Data', true], ['Finished', false]]} />
          <tbody>
            {r.migrations.map((m) => (
              <tr key={m.batch} data-batch={m.batch}>
                <th scope="row">{m.plan}</th>
                <td className="table__num" data-figure="mailboxes">{m.mailboxesDone} / {m.mailboxes}</td>
                <td className="table__num" data-figure="messages">{m.messages.toLocaleString()}</td>
                <td className="table__num">{formatBytes(m.bytes)}</td>
                <td>{formatDateTime(m.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <p className="monthly-report__note">
        Seats, storage and cost are those of the inventory on {formatDateTime(r.generatedAt)}; costs are monthly, from the price table in Settings.
      </p>
    </>
  );
}

function Figure({ name, label, value, note, raw }: { readonly name: string; readonly label: string; readonly value: string; readonly note?: string; readonly raw?: number }) {
  return (
    <div className="monthly-report__figure" data-figure={name} {...(raw === undefined ? {} : { 'data-raw': raw })}>
      <span className="monthly-report__figure-label">{label}</span>
      <span className="monthly-report__figure-value">{value}</span>
      {note ? <span className="monthly-report__faint">{note}</span> : null}
    </div>
  );
}

function Head({ columns }: { readonly columns: readonly (readonly [label: string, numeric: boolean])[] }) {
  return (
    <thead>
      <tr>
        {columns.map(([label, numeric]) => (
          <th key={label} scope="col" className={numeric ? 'table__num' : undefined}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Section({ title, empty, children }: { readonly title: string; readonly empty: string | null; readonly children: ReactNode }) {
  return (
    <section className="monthly-report__section" aria-label={title}>
      <h2>{title}</h2>
      {empty ? <p className="monthly-report__empty">{empty}</p> : <div className="table-wrap">{children}</div>}
    </section>
  );
}
