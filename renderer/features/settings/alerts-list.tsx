import { useEffect, useState } from 'react';
import type { Alert, AlertFilter } from '../../../shared/domain/alerts.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/field.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Table } from '../../components/table.tsx';
import { downloadText, toCsv } from '../../lib/csv.ts';

const STATES = [
  { value: '', label: 'Raised and resolved' },
  { value: 'raised', label: 'Raised' },
  { value: 'resolved', label: 'Resolved' },
];

/** Alerts raised and resolved by scheduled evaluations, filtered by state and customer, with a CSV export. */
export function AlertsList({ reloadKey }: { readonly reloadKey: number }) {
  const [state, setState] = useState('');
  const [customer, setCustomer] = useState('');
  const [customers, setCustomers] = useState<string[]>([]);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    const filter: AlertFilter = { ...(state ? { state: state as Alert['state'] } : {}), ...(customer ? { customer } : {}) };
    void api.alerts.list(filter).then((r) => {
      if (!live) return;
      setFailure(r.ok ? null : r.error);
      setAlerts(r.ok ? r.value : []);
      // The customer choices come from every alert, so a filter never hides its own alternatives.
      if (r.ok && !customer) setCustomers([...new Set(r.value.flatMap((a) => (a.customer ? [a.customer] : [])))].sort());
    });
    return () => {
      live = false;
    };
  }, [state, customer, reloadKey]);
  const exportCsv = () =>
    downloadText(
      'mailroom-alerts.csv',
      toCsv(['state', 'rule', 'target', 'customer', 'expected', 'current', 'source', 'raised_at', 'resolved_at'], (alerts ?? []).map((a) => [a.state, a.rule, a.target, a.customer ?? '', a.expected, a.current, a.source, a.raisedAt, a.resolvedAt ?? ''])),
    );
  return (
    <div aria-label="Alerts" role="region">
      <div className="form__row">
        <SelectField label="Show" options={STATES} value={state} onChange={(e) => setState(e.target.value)} />
        <SelectField label="Customer" options={[{ value: '', label: 'All customers' }, ...customers.map((c) => ({ value: c, label: c }))]} value={customer} onChange={(e) => setCustomer(e.target.value)} />
        <div>
          <Button onClick={exportCsv} disabled={!alerts || alerts.length === 0}>
            Export CSV
          </Button>
        </div>
      </div>
      {failure ? <ErrorMessage error={failure} compact /> : null}
      {alerts === null ? (
        <Spinner label="Loading alerts" />
      ) : alerts.length === 0 ? (
        <EmptyState title={state || customer ? 'No alerts match' : 'No alerts yet'}>
          An alert is raised when a deviation holds on two evaluations in a row (and, for DNS, two resolvers agree); <code>mailroom monitor</code> or the desktop app evaluates every 3 hours.
        </EmptyState>
      ) : (
        <Table
          caption="Alerts"
          head={
            <tr>
              <th>State</th>
              <th>Rule</th>
              <th>Target</th>
              <th>Customer</th>
              <th>Current</th>
              <th>Raised</th>
              <th>Resolved</th>
            </tr>
          }
        >
          {alerts.map((a) => (
            <tr key={a.id}>
              <td>
                <Badge tone={a.state === 'raised' ? 'danger' : 'success'}>{a.state === 'raised' ? 'Raised' : 'Resolved'}</Badge>
              </td>
              <td className="mono">{a.rule}</td>
              <td>{a.target}</td>
              <td>{a.customer ?? '—'}</td>
              <td title={`Expected: ${a.expected}`}>{a.current}</td>
              <td>{new Date(a.raisedAt).toLocaleString()}</td>
              <td>{a.resolvedAt ? new Date(a.resolvedAt).toLocaleString() : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
