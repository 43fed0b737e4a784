import { Fragment } from 'react';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Table } from '../../components/table.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { KIND_LABEL, serverInfo } from './connection-info.ts';
import { ConnectionTestResult } from './connection-test-result.tsx';
import type { TestState } from './connection-tests-store.ts';

/** Props of ConnectionsTable. */
export interface ConnectionsTableProps {
  readonly items: readonly ConnectionSummary[];
  readonly tests: Readonly<Record<string, TestState>>;
  readonly onTest: (connection: ConnectionSummary) => void;
  readonly onEdit: (connection: ConnectionSummary) => void;
  /** Opens the dialog that puts the connection under an MSP customer. */
  readonly onAssign: (connection: ConnectionSummary) => void;
  /** Pins the certificate a failed test found, then tests again. */
  readonly onPin: (connection: ConnectionSummary, fingerprint: string) => void;
  readonly onRemove: (connection: ConnectionSummary) => void;
  readonly onDismissResult: (connection: ConnectionSummary) => void;
}

/** The list of connections with their customer and last test, and Test, Edit, Customer and Remove buttons per row. */
export function ConnectionsTable({ items, tests, onTest, onEdit, onAssign, onPin, onRemove, onDismissResult }: ConnectionsTableProps) {
  return (
    <Table
      caption="Connections"
      head={
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Server</th>
          <th scope="col">Customer</th>
          <th scope="col">Last test</th>
          <th scope="col" className="table__actions">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      }
    >
      {items.map((c) => {
        const test = tests[c.id];
        const info = serverInfo(c);
        return (
          <Fragment key={c.id}>
            <tr>
              <th scope="row" className="table__primary">
                {c.name}
                <span className="table__sub">{KIND_LABEL[c.kind]}</span>
              </th>
              <td className="table__wrap">
                <span className="server-line">
                  <code className="mono">{info.primary}</code>
                  {info.tag ? <span className="tag">{info.tag}</span> : null}
                </span>
                {info.secondary ? <span className="table__sub">{info.secondary}</span> : null}
              </td>
              <td data-testid="connection-customer">{c.customer ?? <span className="muted">None</span>}</td>
              <td>
                <LastTest connection={c} />
              </td>
              <td className="table__actions">
                <Button size="sm" aria-label={`Test ${c.name}`} busy={test?.status === 'running'} onClick={() => onTest(c)}>
                  Test
                </Button>
                <Button size="sm" variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => onEdit(c)}>
                  Edit
                </Button>
                <Button size="sm" variant="ghost" aria-label={`Set the customer of ${c.name}`} onClick={() => onAssign(c)}>
                  Customer
                </Button>
                <Button size="sm" variant="ghost" className="btn--danger-text" aria-label={`Remove ${c.name}`} onClick={() => onRemove(c)}>
                  Remove
                </Button>
              </td>
            </tr>
            {test?.status === 'done' ? (
              <tr className="table__detail">
                <td colSpan={5}>
                  <ConnectionTestResult name={c.name} result={test.result} onDismiss={() => onDismissResult(c)} onPin={c.kind === 'imap' ? (fingerprint) => onPin(c, fingerprint) : undefined} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </Table>
  );
}

function LastTest({ connection }: { readonly connection: ConnectionSummary }) {
  const last = connection.lastTest;
  if (!last) return <span className="muted">Untested</span>;
  return (
    <span className="last-test">
      <Badge tone={last.ok ? 'success' : 'danger'}>{last.ok ? 'Passed' : 'Failed'}</Badge>
      <RelativeTime iso={last.at} className="muted" />
    </span>
  );
}
