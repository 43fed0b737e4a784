import { useState } from 'react';
import type { PriceImportReport, PriceRowError, PriceTable } from '../../../shared/domain/storage.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { downloadText } from '../../lib/csv.ts';
import { notify } from '../../state/toast-store.ts';

const rowsOf = (error: AppError): readonly PriceRowError[] => (error.detail as { rows?: PriceRowError[] } | undefined)?.rows ?? [];
const ids = (list: readonly string[]): string => (list.length ? list.join(', ') : 'none');

/** The price table as CSV: export, and an import that is checked (dry run) and shown before anything is written. */
export function PriceCsv({ onImported }: { readonly onImported: (table: PriceTable) => void }) {
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<PriceImportReport | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const reset = () => (setCsv(null), setPreview(null));
  const exportCsv = async () => {
    setBusy(true);
    const r = await api.storage.exportPrices();
    setBusy(false);
    if (r.ok) downloadText('mailroom-prices.csv', r.value);
    else setFailure(r.error);
  };
  const choose = async (file: File | undefined) => {
    if (!file) return;
    reset();
    setFailure(null);
    const text = await file.text();
    setBusy(true);
    const r = await api.storage.importPrices({ csv: text, dryRun: true });
    setBusy(false);
    if (!r.ok) return setFailure(r.error);
    setCsv(text);
    setPreview(r.value);
  };
  const apply = async () => {
    if (csv === null) return;
    setBusy(true);
    const r = await api.storage.importPrices({ csv, dryRun: false });
    setBusy(false);
    if (!r.ok) return setFailure(r.error);
    reset();
    onImported(r.value.table);
    notify({ tone: 'success', title: 'Price table imported', body: `Added ${ids(r.value.added)}; changed ${ids(r.value.changed)}; removed ${ids(r.value.removed)}.` });
  };
  const rows = failure ? rowsOf(failure) : [];
  return (
    <div className="price-csv">
      <div className="price-csv__actions">
        <Button size="sm" busy={busy && csv === null} onClick={() => void exportCsv()}>
          Export CSV
        </Button>
        <label className="field__label" htmlFor="prices-csv-file">
          Import a CSV
        </label>
        <input id="prices-csv-file" type="file" accept=".csv,text/csv" className="field__control" onChange={(e) => {
            const chosen = e.target.files?.[0];
            // Cleared, so choosing the same file again (after an edit) reads it again.
            e.target.value = '';
            void choose(chosen);
          }}
        />
      </div>
      <p className="field__hint">Columns: id, label, kind, model (per-seat or flat), monthly, currency, included_gb_per_seat (empty: not capped). The file replaces every plan; nothing is written until you apply it, and a file with any bad row is refused whole.</p>
      {failure ? (
        <div role="alert" aria-label="Price CSV refused">
          <ErrorMessage error={failure} compact />
          {rows.length ? (
            <ul className="diff__list">
              {rows.map((r, i) => (
                <li key={i} className="diff__row diff__row--error">
                  <span className="diff__line">{r.line > 0 ? r.line : 'file'}</span>
                  <span>{r.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {preview ? (
        <section aria-label="Price CSV dry run" className="diff">
          <p className="diff__summary">
            Dry run: <Badge tone="success">{preview.added.length} to add</Badge> <Badge tone="info">{preview.changed.length} to change</Badge> <Badge tone="danger">{preview.removed.length} to remove</Badge> — added {ids(preview.added)}; changed {ids(preview.changed)}; removed {ids(preview.removed)}.
          </p>
          <div className="price-csv__actions">
            <Button size="sm" variant="primary" busy={busy} onClick={() => void apply()}>
              Apply the CSV
            </Button>
            <Button size="sm" onClick={reset}>
              Cancel
            </Button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
