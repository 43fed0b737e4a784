import { useCallback, useEffect, useState } from 'react';
import type { ChangesSince } from '../../../shared/domain/dns.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { useDeliverability } from './deliverability-store.ts';
import { SEVERITY_LABEL, SEVERITY_TONE } from './severity.ts';
import './deliverability.css';

/** Overview card: deliverability findings that appeared or worsened since the admin's last look. */
export function ChangesCard() {
  const [data, setData] = useState<ChangesSince | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    const result = await api.dns.changesSince();
    if (result.ok) setData(result.value);
  }, []);
  useEffect(() => {
    void load();
    return api.on('dns.findingsChanged', () => void load());
  }, [load]);
  if (!data || data.changes.length === 0) return null;
  const markSeen = async () => {
    setBusy(true);
    await api.dns.markSeen();
    setBusy(false);
    await load();
  };
  const open = (domain: string) => {
    location.hash = '#/deliverability';
    void useDeliverability.getState().select(domain);
  };
  const domains = new Set(data.changes.map((c) => c.domain)).size;
  return (
    <section className="card dlv-changes" aria-labelledby="dlv-changes-title">
      <header className="dlv-changes__head">
        <div>
          <h2 id="dlv-changes-title" className="card__title">
            Broke since your last look
          </h2>
          <p className="muted card__subtitle">
            {data.changes.length} new or worse {data.changes.length === 1 ? 'finding' : 'findings'} on {domains} {domains === 1 ? 'domain' : 'domains'}
            {data.since ? (
              <>
                {' '}
                since <RelativeTime iso={data.since} />
              </>
            ) : (
              ' in the last 7 days'
            )}
          </p>
        </div>
        <Button size="sm" busy={busy} onClick={() => void markSeen()}>
          Mark as seen
        </Button>
      </header>
      <ul className="list">
        {data.changes.slice(0, 8).map((c) => (
          <li key={`${c.domain} ${c.id} ${c.at}`} className="list__row">
            <Badge tone={SEVERITY_TONE[c.severity]}>{SEVERITY_LABEL[c.severity]}</Badge>
            <button type="button" className="dlv-changes__domain" onClick={() => open(c.domain)}>
              {c.domain}
            </button>
            <span className="list__object" title={c.message}>
              <code className="mono">{c.id}</code> {c.previous ? `(was ${c.previous})` : '(new)'}
            </span>
            <RelativeTime iso={c.at} className="muted" />
          </li>
        ))}
      </ul>
      {data.changes.length > 8 ? (
        <a className="card__link" href="#/deliverability">
          All {data.changes.length} changes on Deliverability →
        </a>
      ) : null}
    </section>
  );
}
