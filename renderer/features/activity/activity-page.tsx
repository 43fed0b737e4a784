import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { connectionNames, describeAudit } from '../../lib/audit-text.ts';
import { useConnections } from '../../state/connections-store.ts';
import { matchesQuery, useSearch } from '../../state/search-store.ts';
import { notifyError } from '../../state/toast-store.ts';
import { exportActivityCsv, followActivity, useActivity } from './activity-store.ts';
import { AuditTable } from './audit-table.tsx';

/** Activity: the hash-chained audit journal of every change made through Mailroom. */
export function ActivityPage() {
  const store = useActivity();
  const query = useSearch((s) => s.query);
  const [exporting, setExporting] = useState(false);

  const liveConnections = useConnections((s) => s.items);
  useEffect(() => {
    void useActivity.getState().load();
    if (!useConnections.getState().loaded) void useConnections.getState().load();
    return followActivity();
  }, []);
  // Ids become names: the live list first, then what the journal recorded of connections since removed.
  const names = useMemo(() => connectionNames(store.entries, liveConnections), [store.entries, liveConnections]);
  const described = useMemo(() => new Map(store.entries.map((e) => [e.seq, describeAudit(e, names)])), [store.entries, names]);
  const words = useCallback((e: AuditEntry) => described.get(e.seq) ?? describeAudit(e, names), [described, names]);

  const exportCsv = async () => {
    setExporting(true);
    const result = await exportActivityCsv();
    setExporting(false);
    if (!result.ok) {
      notifyError('Export failed', result.error);
      return;
    }
    download(result.value, `mailroom-audit-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`);
  };

  const visible = store.entries.filter((e) => matchesQuery(query, [words(e).searchText]));

  return (
    <div className="page">
      <PageHeader
        title="Activity"
        description="Every change made through Mailroom: who, when, what, and the outcome. The journal is append-only and hash-chained."
        actions={
          <>
            <Button onClick={() => void store.verify()} busy={store.verifying} icon={<Icon name="shield" size={16} />}>
              Verify chain
            </Button>
            <Button onClick={exportCsv} busy={exporting} icon={<Icon name="download" size={16} />}>
              Export CSV
            </Button>
          </>
        }
      />
      <VerificationBanner />
      {!store.loaded ? (
        <div className="loading">
          <Spinner label="Loading activity" />
        </div>
      ) : store.error && store.entries.length === 0 ? (
        <ErrorMessage error={store.error} title="Could not load the activity journal." />
      ) : store.entries.length === 0 ? (
        <EmptyState title="No activity yet" icon={<Icon name="activity" size={28} />}>
          <p>Changes you make through Mailroom, such as adding or removing a connection, appear here as they happen.</p>
        </EmptyState>
      ) : (
        <>
          <p className="list-meta" aria-live="polite">
            {query ? `${visible.length} matching of ` : 'Showing '}
            {store.entries.length} of {store.total} {store.total === 1 ? 'entry' : 'entries'}
          </p>
          {visible.length > 0 ? <AuditTable entries={visible} words={words} /> : <EmptyState title="No entry matches the filter" />}
          {store.error ? <ErrorMessage error={store.error} title="Could not load more entries." compact /> : null}
          {store.entries.length < store.total ? (
            <div className="load-more">
              <Button onClick={() => void store.loadMore()} busy={store.loadingMore}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

function VerificationBanner() {
  const verification = useActivity((s) => s.verification);
  if (!verification) return null;
  if (!verification.ok) return <ErrorMessage error={verification.error} title="The chain could not be verified." compact />;
  const v = verification.value;
  return (
    <div className={`banner banner--${v.ok ? 'success' : 'danger'}`} role="status">
      <Badge tone={v.ok ? 'success' : 'danger'}>{v.ok ? 'Chain intact' : 'Chain broken'}</Badge>
      <span>
        {v.ok
          ? `All ${v.checked} entries check out: none was changed, inserted or deleted after it was written.`
          : `The journal was changed outside Mailroom: ${v.firstProblem?.reason}.`}
      </span>
    </div>
  );
}

function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke on the next turn: Chromium starts the download asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
