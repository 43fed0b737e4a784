import type { RoutingAnalysis, RoutingConnection } from '../../../shared/domain/routing.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useInventory } from '../../state/inventory-store.ts';
import { platformName } from '../../lib/platform-name.ts';

/** The platform label of a connection ("Microsoft 365 · ms"); an IMAP-only account's forwards come from its Sieve script. */
export function platformLabel(c: RoutingConnection): string {
  return `${c.kind === 'imap' ? 'IMAP (Sieve)' : platformName(c.kind)} · ${c.name}`;
}

/** Looks up the connection that holds an address of the graph. */
export function connectionOfNode(analysis: RoutingAnalysis): (address: string) => RoutingConnection | undefined {
  const byId = new Map((analysis.connections ?? []).map((c) => [c.id, c]));
  const nodes = new Map(analysis.nodes.map((n) => [n.id, n.connectionId]));
  return (address) => byId.get(nodes.get(address) ?? '');
}

/** Which platforms the graph reads forwards from, and the ones whose forwards Mailroom cannot (fully) see, with what to run there. */
export function RoutingPlatforms({ analysis }: { readonly analysis: RoutingAnalysis }) {
  const connections = analysis.connections ?? [];
  if (connections.length === 0) return null;
  const partial = connections.filter((c) => c.forwardsRead?.level !== 'native' && c.forwardsRead?.level !== 'emulated');
  return (
    <section className="card routing-card" aria-label="Platforms in the graph">
      <h2 className="card__title">Platforms ({connections.length})</h2>
      <p className="routing-platforms">
        {connections.map((c) => (
          <span key={c.id} className="tag">
            {platformLabel(c)}
          </span>
        ))}
      </p>
      {connections.filter((c) => c.kind === 'imap').map((c) => (
        <SieveRead key={c.id} connection={c} />
      ))}
      {partial.length === 0 ? (
        <p className="muted">Forwards are read from every platform on refresh: forwarding settings, filters, inbox rules and Sieve redirects.</p>
      ) : (
        <ul className="routing-unread" aria-label="Forwards Mailroom cannot read">
          {partial.map((c) => (
            <li key={c.id}>
              <Badge tone="warning">{c.forwardsRead ? (c.forwardsRead.level === 'needs-sidecar' ? 'Partly read' : 'Not read') : 'Not probed'}</Badge> <strong>{platformLabel(c)}</strong>{' '}
              {c.forwardsRead ? (
                <>
                  {c.forwardsRead.how ? <span>{c.forwardsRead.how}. </span> : null}
                  {c.forwardsRead.manual ? (
                    <span>
                      To see the rest, run or open: <code>{c.forwardsRead.manual}</code>
                    </span>
                  ) : null}
                </>
              ) : (
                <span>Test this connection (Connections › Test) so Mailroom knows which forwards it can read.</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// IMAP-only connections are left out of Domains › Refresh all (most are migration ends without ManageSieve),
// so their Sieve forwards are read from here, one connection at a time.
function SieveRead({ connection }: { readonly connection: RoutingConnection }) {
  const state = useInventory((s) => s.refreshes[connection.id]);
  const refresh = useInventory((s) => s.refresh);
  return (
    <div className="routing-sieve">
      <Button size="sm" busy={state?.status === 'running'} onClick={() => void refresh(connection.id)} aria-label={`Read the Sieve forwards of ${connection.name}`}>
        Read Sieve forwards · {connection.name}
      </Button>
      {state?.status === 'failed' ? <ErrorMessage error={state.error} compact /> : null}
    </div>
  );
}
