import type { DmarcVerdict, TlsFailureRow } from '../../../shared/domain/reports-insights.ts';
import type { ReportSource } from '../../../shared/domain/reports.ts';
import { Badge } from '../../components/badge.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { Table } from '../../components/table.tsx';
import { CLASS_TEXT, failureReasons, percent } from './reports-model.ts';

/** "Ready for p=reject?" for one domain over the last 30 days, with the record to publish and a copy button. */
export function VerdictCard({ verdict }: { readonly verdict: DmarcVerdict }) {
  const published = verdict.published?.p ?? null;
  return (
    <section className="card reports-card" aria-labelledby="reports-verdict-title">
      <div className="reports-card__head">
        <h2 id="reports-verdict-title" className="reports-card__title">
          Ready for p=reject?
        </h2>
        <Badge tone={verdict.ready ? 'success' : 'warning'}>{verdict.ready ? 'Ready for p=reject' : 'Not ready yet'}</Badge>
      </div>
      <p className="reports-verdict__figures">
        Last 30 days: {verdict.messages.toLocaleString()} messages, {verdict.dmarcPass.toLocaleString()} passed DMARC ({percent(verdict.dmarcPass, verdict.messages)}).
        {published ? ` Published policy: p=${published}.` : ' No published policy seen in a report yet.'}
      </p>
      {verdict.reasons.length > 0 ? (
        <ul className="reports-list" aria-label="Why not yet">
          {verdict.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {verdict.blockers.length > 0 ? (
        <ul className="reports-list" aria-label="Sources to fix first">
          {verdict.blockers.map((b) => (
            <li key={b.sourceIp}>
              <strong>{CLASS_TEXT[b.classification]}:</strong> {b.advice}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="reports-record">
        <span className="list-meta">{verdict.ready ? 'Publish' : 'When ready, publish'} this TXT record at {verdict.record.name}:</span>
        <code className="reports-record__value" aria-label="Suggested DMARC record">
          {verdict.record.value}
        </code>
        <CopyButton text={verdict.record.value} label="Copy record" />
      </div>
    </section>
  );
}

/** Why messages failed DMARC, most first, from the domain's sources. */
export function FailureReasonsCard({ sources }: { readonly sources: readonly ReportSource[] }) {
  const reasons = failureReasons(sources);
  const failed = reasons.reduce((n, r) => n + r.messages, 0);
  const messages = sources.reduce((n, s) => n + s.messages, 0);
  const dkim = sources.reduce((n, s) => n + s.messages - s.dkimAligned, 0);
  const spf = sources.reduce((n, s) => n + s.messages - s.spfAligned, 0);
  return (
    <section className="card reports-card" aria-labelledby="reports-reasons-title">
      <div className="reports-card__head">
        <h2 id="reports-reasons-title" className="reports-card__title">
          Top failure reasons
        </h2>
        <span className="list-meta">
          {failed.toLocaleString()} of {messages.toLocaleString()} messages failed DMARC
        </span>
      </div>
      {reasons.length === 0 ? (
        <p className="muted">No message failed DMARC in this period.</p>
      ) : (
        <>
          <Table
            caption="Top failure reasons"
            head={
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" className="reports-num">Messages</th>
                <th scope="col" className="reports-num">Sources</th>
              </tr>
            }
          >
            {reasons.slice(0, 10).map((r) => (
              <tr key={r.reason}>
                <th scope="row">{r.reason}</th>
                <td className="reports-num">
                  {r.messages.toLocaleString()} ({percent(r.messages, failed)})
                </td>
                <td className="reports-num">{r.sources.toLocaleString()}</td>
              </tr>
            ))}
          </Table>
          <p className="list-meta">
            DKIM did not align for {dkim.toLocaleString()} messages; SPF did not align for {spf.toLocaleString()}.
          </p>
        </>
      )}
    </section>
  );
}

/** Failed TLS sessions per receiving MX and failure type (SMTP TLS reports, RFC 8460). */
export function TlsFailuresCard({ rows }: { readonly rows: readonly TlsFailureRow[] }) {
  const total = rows.reduce((n, r) => n + r.sessions, 0);
  return (
    <section className="card reports-card" aria-labelledby="reports-tls-title">
      <div className="reports-card__head">
        <h2 id="reports-tls-title" className="reports-card__title">
          TLS failures per receiving MX
        </h2>
        <span className="list-meta">{total.toLocaleString()} failed sessions</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No TLS report in this period lists a failed session.</p>
      ) : (
        <Table
          caption="TLS failures per receiving MX"
          head={
            <tr>
              <th scope="col">Receiving MX</th>
              <th scope="col">Failure</th>
              <th scope="col">Policy domain</th>
              <th scope="col" className="reports-num">Sessions</th>
            </tr>
          }
        >
          {rows.map((r) => (
            <tr key={`${r.policyDomain} ${r.receivingMx} ${r.resultType}`}>
              <th scope="row">
                <code>{r.receivingMx}</code>
              </th>
              <td>{r.resultType}</td>
              <td>{r.policyDomain}</td>
              <td className="reports-num">{r.sessions.toLocaleString()}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
