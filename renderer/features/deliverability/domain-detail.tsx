import { useState } from 'react';
import type { Finding } from '../../../shared/domain/dns.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { notify, notifyError } from '../../state/toast-store.ts';
import { groupByFamily, useDeliverability } from './deliverability-store.ts';
import { ScoreChart } from './score-chart.tsx';
import { FAMILY_LABEL, SEVERITY_LABEL, SEVERITY_TONE, scoreTone } from './severity.ts';

/** The selected domain: score, history chart and findings grouped by check family. */
export function DomainDetail({ onRecheck, onGenerate }: { readonly onRecheck: (domain: string) => void; readonly onGenerate: (domain: string) => void }) {
  const selected = useDeliverability((s) => s.selected);
  const detail = useDeliverability((s) => s.detail);
  const detailError = useDeliverability((s) => s.detailError);
  const history = useDeliverability((s) => s.history);
  const running = useDeliverability((s) => s.run !== null);
  const monitored = useDeliverability((s) => s.monitored.some((m) => m.domain === selected));
  const setMonitored = useDeliverability((s) => s.setMonitored);
  const [showInfo, setShowInfo] = useState(true);
  const [busy, setBusy] = useState(false);
  if (!selected) {
    return (
      <section className="dlv-detail dlv-detail--empty" aria-label="Domain detail">
        <Icon name="deliverability" size={28} />
        <p>Select a domain to see its findings, the records involved and how to fix them.</p>
      </section>
    );
  }
  if (detailError) return <ErrorMessage error={detailError} title={`Could not load the findings of ${selected}.`} />;
  if (!detail || detail.domain !== selected) {
    return (
      <section className="dlv-detail" aria-label="Domain detail">
        <Spinner label={`Loading ${selected}`} />
      </section>
    );
  }
  const toggleMonitor = async () => {
    setBusy(true);
    const error = await setMonitored(selected, !monitored);
    setBusy(false);
    if (error) notifyError('Could not change monitoring', error, { object: selected });
    else if (monitored) notify({ tone: 'success', title: `Stopped monitoring ${selected}` });
    else notify({ tone: 'success', title: `Monitoring ${selected}`, body: 'Mailroom re-checks it every 6 hours and alerts you when something breaks.' });
  };
  const shown = showInfo ? detail : { ...detail, findings: detail.findings.filter((f) => f.severity !== 'info') };
  const groups = groupByFamily(shown);
  const at = history[0]?.at;
  return (
    <section className="dlv-detail" aria-labelledby="dlv-detail-title">
      <header className="dlv-detail__head">
        <div>
          <h2 id="dlv-detail-title" className="dlv-detail__title">
            {detail.domain}
          </h2>
          <p className="muted dlv-detail__meta">
            Health score <Badge tone={scoreTone(detail.score)}>{detail.score}</Badge>
            {at ? (
              <>
                {' '}
                · checked <RelativeTime iso={at} />
              </>
            ) : null}
            {detail.resolver ? (
              <>
                {' '}
                · answered by <code className="mono" data-testid="dlv-resolver">{detail.resolver}</code>
              </>
            ) : null}
          </p>
        </div>
        <div className="dlv-detail__actions">
          <Button size="sm" icon={<Icon name="refresh" size={14} />} disabled={running} onClick={() => onRecheck(detail.domain)}>
            Re-check
          </Button>
          <Button size="sm" busy={busy} onClick={() => void toggleMonitor()} aria-pressed={monitored}>
            {monitored ? 'Stop monitoring' : 'Monitor'}
          </Button>
          <Button size="sm" onClick={() => onGenerate(detail.domain)}>
            Generate records
          </Button>
        </div>
      </header>
      <ScoreChart runs={history} />
      <div className="dlv-detail__filter">
        <label className="dlv-check">
          <input type="checkbox" checked={showInfo} onChange={(e) => setShowInfo(e.target.checked)} /> Show info findings
        </label>
      </div>
      {groups.length === 0 ? (
        <p className="dlv-clean">
          <Icon name="check" size={16} /> No findings{showInfo ? '' : ' at warning or above'}: this domain passes every check that ran.
        </p>
      ) : (
        groups.map((g) => (
          <section key={g.family} className="dlv-family" aria-label={FAMILY_LABEL[g.family] ?? g.family}>
            <h3 className="dlv-family__title">
              {FAMILY_LABEL[g.family] ?? g.family}
              <span className="muted"> · {g.findings.length}</span>
            </h3>
            <ul className="dlv-findings">
              {g.findings.map((f, i) => (
                <FindingItem key={`${f.id}-${i}`} finding={f} />
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}

function FindingItem({ finding: f }: { readonly finding: Finding }) {
  return (
    <li className={`dlv-finding dlv-finding--${f.severity}`} aria-label={`${SEVERITY_LABEL[f.severity]}: ${f.id}`}>
      <div className="dlv-finding__head">
        <Badge tone={SEVERITY_TONE[f.severity]}>{SEVERITY_LABEL[f.severity]}</Badge>
        <code className="dlv-finding__id">{f.id}</code>
      </div>
      <p className="dlv-finding__message">{f.message}</p>
      {f.records.length > 0 ? (
        <div className="dlv-code">
          <pre>{f.records.join('\n')}</pre>
          <CopyButton text={f.records.join('\n')} label="Copy records" />
        </div>
      ) : null}
      {f.fix ? (
        <div className="dlv-fix">
          <span className="dlv-fix__label">Fix</span>
          <span className="dlv-fix__text">{f.fix}</span>
          <CopyButton text={f.fix} label="Copy fix" />
        </div>
      ) : null}
    </li>
  );
}
