import { useEffect, useMemo, useState } from 'react';
import type { RoutingAnalysis } from '../../../shared/domain/routing.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Combobox } from '../../components/combobox.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { VirtualList } from '../../components/virtual-list.tsx';
import { domainFilterOptions } from '../../lib/pick-options.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { FINDING_LABEL, failingBadge, hopConditions, routeRows } from './routing-model.ts';
import { connectionOfNode, platformLabel, RoutingPlatforms } from './routing-platforms.tsx';
import './routing.css';

const SEVERITY_TONE = { error: 'danger', warning: 'warning', info: 'info', unknown: 'neutral' } as const;

/** The routing view: findings (loops, chains leaving the organisation, forwarding that breaks SPF/DMARC) and every chain. */
export function RoutingPanel() {
  const { domains, revision } = useInventory();
  const [domain, setDomain] = useState('');
  const [analysis, setAnalysis] = useState<RoutingAnalysis | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    setAnalysis(null);
    void api.routing.analyze(domain ? { domain } : {}).then((r) => (r.ok ? (setAnalysis(r.value), setError(null)) : setError(r.error)));
  }, [domain, revision]);
  const rows = useMemo(() => (analysis ? routeRows(analysis) : []), [analysis]);
  const org = useMemo(() => new Set(analysis?.organisationDomains ?? []), [analysis]);
  const isExternal = (address: string) => !org.has(address.slice(address.lastIndexOf('@') + 1));
  const choices = useMemo(() => domainFilterOptions(domains), [domains]);
  const connectionOf = useMemo(() => (analysis ? connectionOfNode(analysis) : () => undefined), [analysis]);
  const conditionOf = useMemo(() => (analysis ? hopConditions(analysis) : () => undefined), [analysis]);
  return (
    <div className="panel-stack">
      <div className="panel-toolbar routing-toolbar">
        <p className="muted">How mail moves between addresses: aliases, forwarding, group members and catch-alls, followed to the end of each chain.</p>
        <Combobox label="Domain" value={domain} onChange={setDomain} options={choices} />
      </div>
      {error ? (
        <ErrorMessage error={error} title="Could not analyse routing." />
      ) : analysis === null ? (
        <SkeletonRows label="Analysing routing" />
      ) : (
        <>
          <RoutingPlatforms analysis={analysis} />
          <section className="card routing-card" aria-label="Routing findings">
            <h2 className="card__title">Findings{analysis.findings.length ? ` (${analysis.findings.length.toLocaleString()})` : ''}</h2>
            {analysis.findings.length === 0 ? (
              <p className="muted routing__ok">
                <Icon name="check" size={16} /> No loops, no chains leaving the organisation, no forwarding that breaks SPF or DMARC.
              </p>
            ) : (
              <VirtualList
                label="Routing findings"
                className="routing-list"
                items={analysis.findings}
                itemKey={(f, i) => `${f.id}-${i}`}
                render={(f) => (
                  <div className="routing-item">
                    <span>
                      <Badge tone={SEVERITY_TONE[f.severity]}>{FINDING_LABEL[f.id].label}</Badge> {f.message}
                    </span>
                    <Chain path={f.path} isExternal={isExternal} conditionOf={conditionOf} />
                  </div>
                )}
              />
            )}
          </section>
          {rows.length === 0 ? (
            <EmptyState title="No forwarding or aliases" icon={<Icon name="deliverability" size={28} />}>
              <p>Every address delivers only to its own mailbox. Aliases, forwards and groups you create appear here as chains.</p>
            </EmptyState>
          ) : (
            <section className="card routing-card" aria-label="Routes">
              <h2 className="card__title">Routes ({rows.length.toLocaleString()})</h2>
              <VirtualList
                label="Routes"
                className="routing-list"
                items={rows}
                itemKey={(r) => r.from}
                render={(r) => (
                  <div className="routing-item">
                    <span>
                      <strong>{r.from}</strong> <span className="tag">{r.kind}</span> {connectionOf(r.from) ? <span className="tag">{platformLabel(connectionOf(r.from)!)}</span> : null} {r.flags.map((f) => <Badge key={f} tone={FINDING_LABEL[f].tone}>{FINDING_LABEL[f].label}</Badge>)}{' '}
                      {r.failing.map((f) => {
                        const badge = failingBadge(f);
                        return (
                          <span key={f.to} title={badge.title} aria-label={badge.title} data-testid="forward-failing">
                            <Badge tone="danger">{badge.label}</Badge>
                          </span>
                        );
                      })}
                    </span>
                    {r.chains.map((c) => (
                      <Chain key={c.join('>')} path={c} skipFirst isExternal={isExternal} conditionOf={conditionOf} />
                    ))}
                  </div>
                )}
              />
            </section>
          )}
        </>
      )}
    </div>
  );
}

interface ChainProps {
  readonly path: readonly string[];
  /** The first address is the row's own heading: draw only the hops after it. */
  readonly skipFirst?: boolean;
  readonly isExternal: (a: string) => boolean;
  readonly conditionOf: (from: string, to: string) => string | undefined;
}

// A conditional hop (a filter, an inbox rule, a Sieve `if`) is drawn dashed and says which mail takes it.
function Chain({ path, skipFirst = false, isExternal, conditionOf }: ChainProps) {
  return (
    <span className="chain">
      {path.map((hop, i) => {
        if (skipFirst && i === 0) return null;
        const condition = i > 0 ? conditionOf(path[i - 1]!, hop) : undefined;
        return (
          <span key={`${hop}-${i}`} className={condition ? 'chain__hop chain__hop--conditional' : 'chain__hop'}>
            <span className="chain__arrow" aria-hidden="true">
              {condition ? '⇢' : '→'}
            </span>
            <code className={isExternal(hop) ? 'chain__external' : undefined}>{hop}</code>
            {isExternal(hop) ? <span className="visually-hidden"> (external)</span> : null}
            {condition ? <span className="chain__condition"> only if {condition}</span> : null}
          </span>
        );
      })}
    </span>
  );
}
