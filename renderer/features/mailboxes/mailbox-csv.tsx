import { useState } from 'react';
import type { CachedMailbox, MailboxPageQuery } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { notify } from '../../app/toast-store.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { downloadText } from '../../lib/csv.ts';
import { errorText } from '../../lib/error-text.ts';
import { useInventory } from '../domains/inventory-store.ts';
import { mailboxesToCsv, planImport, summarise, type ImportAction } from './csv-import-model.ts';
import { filterRows, useMailboxRows } from './mailbox-rows-store.ts';

async function readAll(query: MailboxPageQuery): Promise<CachedMailbox[]> {
  const rows: CachedMailbox[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const r = await api.mailboxes.page({ ...query, limit: 1000, ...(afterKey ? { afterKey } : {}) });
    if (!r.ok) throw new Error(errorText(r.error.code));
    rows.push(...r.value.rows);
    if (!r.value.nextKey) return rows;
    afterKey = r.value.nextKey;
  }
}

/** CSV export of the filtered list, and import with a dry-run diff before anything is written. */
export function MailboxCsv({ onClose }: { readonly onClose: () => void }) {
  const [plan, setPlan] = useState<ImportAction[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const exportCsv = async () => {
    setBusy(true);
    const s = useMailboxRows.getState();
    const { connectionId, domain } = s.filters;
    try {
      const rows = filterRows(await readAll({ ...(connectionId ? { connectionId } : {}), ...(domain ? { domain } : {}), ...(s.text.trim() ? { text: s.text.trim() } : {}) }), s.filters);
      downloadText(`mailboxes-${new Date().toISOString().slice(0, 10)}.csv`, mailboxesToCsv(rows));
      notify({ tone: 'success', title: `Exported ${rows.length.toLocaleString()} mailboxes` });
    } catch (e) {
      notify({ tone: 'danger', title: 'Could not export', body: (e as Error).message });
    }
    setBusy(false);
  };
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    const text = await file.text();
    const domains = useInventory.getState().domains;
    const wanted = [...new Set([...text.matchAll(/@([a-z0-9.-]+\.[a-z]{2,})/gi)].map((m) => m[1]!.toLowerCase()))].filter((d) => domains.some((x) => x.name === d));
    try {
      const existing = new Map<string, CachedMailbox>();
      for (const d of wanted) for (const m of await readAll({ domain: d })) existing.set(m.address, m);
      setPlan(planImport(text, domains, existing));
    } catch (e) {
      notify({ tone: 'danger', title: 'Could not read the cache', body: (e as Error).message });
    }
    setBusy(false);
  };
  const apply = async () => {
    if (!plan) return;
    const todo = plan.filter((a) => a.kind === 'create' || a.kind === 'update');
    let failed = 0;
    setProgress(0);
    for (const [i, a] of todo.entries()) {
      const r =
        a.kind === 'create'
          ? await api.mailboxes.create(a.connectionId, { address: a.address, password: a.password, ...(a.displayName ? { displayName: a.displayName } : {}), ...(a.quotaBytes !== null ? { quotaBytes: a.quotaBytes } : {}) })
          : a.kind === 'update'
            ? await api.mailboxes.update(a.connectionId, a.address, a.patch)
            : null;
      if (r && !r.ok) failed += 1;
      setProgress((i + 1) / todo.length);
    }
    // The plan holds passwords from the file: drop it as soon as it is applied.
    setPlan(null);
    setProgress(null);
    notify({ tone: failed ? 'danger' : 'success', title: `Import finished: ${todo.length - failed} applied${failed ? `, ${failed} failed (see Activity)` : ''}` });
    useInventory.getState().changed();
    useMailboxRows.getState().reload();
    onClose();
  };
  const counts = plan ? summarise(plan) : null;
  return (
    <FormDialog title="Import and export mailboxes" wide submitLabel={counts ? `Apply ${counts.create + counts.update} changes` : 'Done'} busy={progress !== null} canSubmit={!counts || counts.create + counts.update > 0} onSubmit={plan ? apply : onClose} onCancel={onClose}>
      <div className="csv-export">
        <p className="muted">Export the mailboxes matching the current search and filters, without passwords.</p>
        <Button size="sm" busy={busy && !plan} onClick={exportCsv}>
          Export CSV
        </Button>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="csv-file">
          Import a CSV
        </label>
        <input id="csv-file" type="file" accept=".csv,text/csv" className="field__control" onChange={(e) => void choose(e.target.files?.[0])} />
        <p className="field__hint">Columns: address, display_name, quota_mb, active (yes/no), password (new mailboxes only). Nothing is written until you apply the changes shown below.</p>
      </div>
      {progress !== null ? <ProgressBar value={progress * 100} label="Import progress" /> : null}
      {plan && counts ? (
        <section aria-label="Dry run" className="diff">
          <p className="diff__summary">
            Dry run: <Badge tone="success">{counts.create} to create</Badge> <Badge tone="info">{counts.update} to change</Badge> <Badge>{counts.unchanged} unchanged</Badge> <Badge tone="danger">{counts.error} errors</Badge>
          </p>
          <ul className="diff__list">
            {plan.filter((a) => a.kind !== 'unchanged').slice(0, 200).map((a) => (
              <li key={a.line} className={`diff__row diff__row--${a.kind}`}>
                <span className="diff__line">{a.line}</span>
                <code>{a.address || '—'}</code>
                <span>{a.kind === 'create' ? 'create' : a.kind === 'update' ? a.changes.join(', ') : a.kind === 'error' ? a.message : ''}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </FormDialog>
  );
}
