import { useMemo } from 'react';
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
  const summaries = useMemo(() => summarize(domains), [domains]);
  const refresh = async (c: ConnectionSummary) => {
    const r = await useInventory.getState().refresh(c.id);
    if (r.ok) notify({ tone: 'success', title: `Refreshed ${c.name}`, body: `${r.value.domains} domains, ${r.value.mailboxes.toLocaleString()} mailboxes in ${formatDuration(r.value.durationMs)}.` });
    else notifyError(`Could not refresh ${c.name}`, r.error, { connection: c.name }, 'The cache keeps the last good copy, marked stale.');
  };
  return (
    <ul className="conn-strip" aria-label="Connections">
      {connections.map((c) => {
        const own = summaries.get(c.id) ?? EMPTY;
        const state = refreshes[c.id];
        const refreshedAt = own.refreshedAt;
        const stale = own.stale || state?.status === 'failed';
        return (
          <li key={c.id} className="conn-card">
            <div className="conn-card__head">
              <span className="conn-card__name">{c.name}</span>
              <span className="tag">{platformName(c.kind)}</span>
            </div>
            <div className="conn-card__meta">
              {own.count} {own.count === 1 ? 'domain' : 'domains'} ·{' '}
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

/** What a connection card says about its domains. */
interface ConnectionDomains {
  readonly count: number;
  /** The latest refresh of any of its domains (ISO times compare as text). */
  readonly refreshedAt: string | null;
  readonly stale: boolean;
}

const EMPTY: ConnectionDomains = { count: 0, refreshedAt: null, stale: false };

// One pass over the domain list for every card, once per list, instead of a filter and a sort per card per render.
function summarize(domains: readonly CachedDomain[]): Map<string, ConnectionDomains> {
  const out = new Map<string, ConnectionDomains>();
  for (const d of domains) {
    const seen = out.get(d.connectionId) ?? EMPTY;
    const later = d.refreshedAt !== null && (seen.refreshedAt === null || d.refreshedAt > seen.refreshedAt);
    out.set(d.connectionId, { count: seen.count + 1, refreshedAt: later ? d.refreshedAt : seen.refreshedAt, stale: seen.stale || d.stale });
  }
  return out;
}
