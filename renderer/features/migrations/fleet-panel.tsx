import { useEffect, useState } from 'react';
import type { FleetStatus } from '../../../shared/domain/fleet.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Table } from '../../components/table.tsx';
import { formatCount, formatMessageRate } from './migration-format.ts';

// Workers beat every 5 s; reading a little faster than that shows each beat without flooding Redis.
const POLL_MS = 3_000;

type Read = { readonly status: 'unset' } | { readonly status: 'loading' } | { readonly status: 'error'; readonly error: AppError } | { readonly status: 'ok'; readonly fleet: FleetStatus; readonly redis: string };

/** The fleet's workers (host, pid, jobs, throughput, last heartbeat), read while the page is visible. */
export function FleetPanel() {
  const [read, setRead] = useState<Read>({ status: 'loading' });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async (): Promise<void> => {
      if (stopped) return;
      if (document.visibilityState === 'visible') {
        const settings = await api.migration.fleetSettings();
        if (stopped) return;
        if (!settings.ok) setRead({ status: 'error', error: settings.error });
        else if (!settings.value.redis) setRead({ status: 'unset' });
        else {
          const { redis, prefix } = settings.value;
          const status = await api.migration.fleetStatus({ redis, ...(prefix ? { prefix } : {}) });
          if (stopped) return;
          setRead(status.ok ? { status: 'ok', fleet: status.value, redis } : { status: 'error', error: status.error });
        }
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, []);
  return (
    <section className="panel-stack" aria-label="Fleet">
      <h2 className="section-title">Fleet</h2>
      {read.status === 'loading' ? (
        <Spinner label="Reading the fleet" />
      ) : read.status === 'unset' ? (
        <p className="list-meta">No fleet is set up. Choose “Fleet” when you run a batch to give its Redis and public key.</p>
      ) : read.status === 'error' ? (
        <ErrorMessage error={read.error} title="Could not read the fleet." compact />
      ) : read.fleet.workers.length === 0 ? (
        <EmptyState title="No worker is alive" icon={<Icon name="migrations" size={28} />}>
          <p>
            No <code>mailroom worker</code> has sent a heartbeat to {read.redis} in the last 15 seconds. Start one on any machine: <code>mailroom worker --redis {read.redis} --state URL --key FLEET.key</code>
          </p>
        </EmptyState>
      ) : (
        <Table
          caption="Fleet workers"
          head={
            <tr>
              <th>Host</th>
              <th className="table__num">PID</th>
              <th className="table__num">Running</th>
              <th className="table__num">Done</th>
              <th className="table__num">Failed</th>
              <th className="table__num">Throughput</th>
              <th>Last heartbeat</th>
            </tr>
          }
        >
          {read.fleet.workers.map((w) => (
            <tr key={`${w.host}:${w.pid}`} aria-label={`Worker ${w.host}:${w.pid}`}>
              <td className="table__primary">{w.host}</td>
              <td className="table__num mono">{w.pid}</td>
              <td className="table__num">
                {w.active} of {w.concurrency * Math.max(1, w.lanes)}
              </td>
              <td className="table__num">{formatCount(w.jobsDone)}</td>
              <td className="table__num">{formatCount(w.jobsFailed)}</td>
              <td className="table__num">{formatMessageRate(w.throughput)}</td>
              <td className="muted">
                <RelativeTime iso={new Date(w.lastBeat).toISOString()} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
