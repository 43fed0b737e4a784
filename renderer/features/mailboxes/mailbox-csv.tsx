import { useState } from 'react';
import type { ImportReport } from '../../../shared/domain/import.ts';
import type { CachedMailbox, MailboxPageQuery } from '../../../shared/domain/inventory.ts';
import { appError, type AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { downloadText } from '../../lib/csv.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { mailboxesToCsv } from './csv-import-model.ts';
import { useMailboxRows, viewQuery } from './mailbox-rows-store.ts';

async function readAll(query: MailboxPageQuery): Promise<CachedMailbox[]> {
  const rows: CachedMailbox[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const r = await api.mailboxes.page({ ...query, limit: 1000, ...(afterKey ? { afterKey } : {}) });
    // The AppError itself, so the toast can quote the reason.
    if (!r.ok) throw r.error;
    rows.push(...r.value.rows);
    if (!r.value.nextKey) return rows;
    afterKey = r.value.nextKey;
  }
}

/** CSV export of the filtered list, and import with a dry-run diff before anything is written. */
export function MailboxCsv({ onClose }: { readonly onClose: () => void }) {
  const [plan, setPlan] = useState<ImportReport | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [passwords, setPasswords] = useState<readonly (readonly [string, string])[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const exportCsv = async () => {
    setBusy(true);
    try {
      const rows = await readAll(viewQuery(useMailboxRows.getState()));
      downloadText(`mailboxes-${new Date().toISOString().slice(0, 10)}.csv`, mailboxesToCsv(rows));
      notify({ tone: 'success', title: `Exported ${rows.length.toLocaleString()} mailboxes` });
    } catch (e) {
      notifyError('Could not export', e instanceof Error ? appError('internal', e.message) : (e as AppError));
    }
    setBusy(false);
  };
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    const text = await file.text();
    // The dry run and the apply are the same operation: the diff shown is the diff the backend computes.
    const r = await api.mailboxes.import({ csv: text, dryRun: true });
    if (r.ok) {
      setCsv(text);
      setPlan(r.value);
    } else notifyError('Could not read the CSV', r.error);
    setBusy(false);
  };
  const apply = async () => {
    if (!plan || csv === null) return;
    setProgress(0);
    const r = await api.mailboxes.import({ csv, dryRun: false });
    // The file may hold passwords: drop it as soon as it is applied.
    setCsv(null);
    setPlan(null);
    setProgress(null);
    useInventory.getState().changed();
    useMailboxRows.getState().reload();
    if (!r.ok) {
      notifyError('Import failed', r.error);
      return;
    }
    const failed = r.value.applied.filter((a) => !a.ok).length;
    notify({ tone: failed ? 'danger' : 'success', title: `Import finished: ${r.value.applied.length - failed} applied${failed ? `, ${failed} failed (see Activity)` : ''}` });
    const generated = r.value.applied.filter((a) => a.generatedPassword);
    if (generated.length) setPasswords(generated.map((a) => [a.address, a.generatedPassword!] as const));
    else onClose();
  };
  const counts = plan ? { ...plan.counts } : null;
  if (passwords) {
    return (
      <FormDialog title="Generated passwords" wide submitLabel="Done" onSubmit={onClose} onCancel={onClose}>
        <p className="muted">Shown once: Mailroom keeps no copy. Hand them over or copy them now.</p>
        <ul className="diff__list" aria-label="Generated passwords">
          {passwords.map(([address, password]) => (
            <li key={address} className="diff__row diff__row--create">
              <code>{address}</code>
              <code>{password}</code>
              <CopyButton text={password} label={`Copy the password of ${address}`} />
            </li>
          ))}
        </ul>
      </FormDialog>
    );
  }
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
        <p className="field__hint">Columns: address, display_name, quota_mb, active (yes/no), forward_to, password (new mailboxes; empty generates one); or type, address, name, quota, targets for domains, aliases, groups and forwards. A blank cell leaves the value as it is; - or none clears it (no name, unlimited quota, no forwarding). Nothing is written until you apply the changes shown below.</p>
      </div>
      {progress !== null ? <ProgressBar value={progress * 100} label="Import progress" /> : null}
      {plan && counts ? (
        <section aria-label="Dry run" className="diff">
          <p className="diff__summary">
            Dry run: <Badge tone="success">{counts.create} to create</Badge> <Badge tone="info">{counts.update} to change</Badge> <Badge>{counts.unchanged} unchanged</Badge> <Badge tone="danger">{counts.error} errors</Badge>
          </p>
          <ul className="diff__list">
            {plan.steps.filter((a) => a.kind !== 'unchanged').slice(0, 200).map((a) => (
              <li key={a.line} className={`diff__row diff__row--${a.kind}`}>
                <span className="diff__line">{a.line}</span>
                <code>{a.address || '—'}</code>
                <span>{a.kind === 'create' ? `create ${a.type}${a.detail ? `: ${a.detail}` : ''}` : a.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </FormDialog>
  );
}
