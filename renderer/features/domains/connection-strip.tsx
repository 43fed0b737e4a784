import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { formatDuration } from '../../lib/format.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { platformName } from '../../lib/platform-name.ts';

/** One card per provisioning connection: its domains, last refresh, staleness and a Refresh button with progress. */
export function ConnectionStrip({ connections, domains }: { readonly connections: readonly ConnectionSummary[]; readonly domains: readonly CachedDomain[] }) {
  const refreshes = useInventory((s) => s.refreshes);
  const refresh = async (c: ConnectionSummary) => {
    const r = await useInventory.getState().refresh(c.id);
    if (r.ok) notify({ tone: 'success', title: `Refreshed ${c.name}`, body: `${r.value.domains} domains, ${r.value.mailboxes.toLocaleString()} mailboxes in ${formatDuration(r.value.durationMs)}.` });
    else notifyError(`Could not refresh ${c.name}`, r.error, { connection: c.name }, 'The cache keeps the last good copy, marked stale.');
  };
  return (
    <ul className="conn-strip" aria-label="Connections">
      {connections.map((c) => {
        const own = domains.filter((d) => d.connectionId === c.id);
        const state = refreshes[c.id];
        const refreshedAt = own.map((d) => d.refreshedAt).filter((x): x is string => x !== null).sort().at(-1) ?? null;
        const stale = own.some((d) => d.stale) || state?.status === 'failed';
        return (
          <li key={c.id} className="conn-card">
            <div className="conn-card__head">
              <span className="conn-card__name">{c.name}</span>
              <span className="tag">{platformName(c.kind)}</span>
            </div>
            <div className="conn-card__meta">
              {own.length} {own.length === 1 ? 'domain' : 'domains'} ·{' '}
              {state?.status === 'running' ? (
                <span className="conn-card__running">
                  <Spinner size="sm" /> Refreshing…
                </span>
              ) : refreshedAt ? (
                <>
                  refreshed <RelativeTime iso={refreshedAt} />
                </>
              ) : (
                'never refreshed'
              )}
              {stale ? <Badge tone="warning">Stale</Badge> : null}
            </div>
            {state?.status === 'running' ? <div className="indeterminate" role="progressbar" aria-label={`Refreshing ${c.name}`} /> : null}
            <Button size="sm" busy={state?.status === 'running'} onClick={() => void refresh(c)} aria-label={`Refresh ${c.name}`}>
              Refresh
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
