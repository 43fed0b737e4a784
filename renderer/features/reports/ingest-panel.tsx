import { useRef, useState } from 'react';
import type { AfterIngest } from '../../../shared/domain/reports-mailbox.ts';
import { DEFAULT_PROCESSED_FOLDER } from '../../../shared/domain/reports-mailbox.ts';
import type { IngestResult, ReportError } from '../../../shared/domain/reports.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { useReports } from './reports-store.ts';

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Import report files (chosen or dropped on the page) and read a saved IMAP connection's reports mailbox. */
export function IngestPanel() {
  return (
    <section className="card reports-card reports-ingest" aria-label="Add reports">
      <FilesIngest />
      <MailboxIngest />
    </section>
  );
}

function FilesIngest() {
  const input = useRef<HTMLInputElement>(null);
  const files = useReports((s) => s.files);
  const result = useReports((s) => s.filesResult);
  const ingest = useReports((s) => s.ingestFiles);
  return (
    <div className="reports-ingest__part">
      <h2 className="reports-card__title">Import report files</h2>
      <p className="list-meta">Aggregate (XML, .gz, .zip), TLS (JSON, .gz) and failure reports, or whole .eml messages. You can also drop files anywhere on this page.</p>
      <input
        ref={input}
        type="file"
        multiple
        className="visually-hidden"
        aria-label="Report files"
        onChange={(e) => {
          const chosen = [...(e.target.files ?? [])];
          e.target.value = '';
          if (chosen.length > 0) void ingest(chosen);
        }}
      />
      <Button icon={<Icon name="upload" size={16} />} busy={files !== null} onClick={() => input.current?.click()}>
        Choose files…
      </Button>
      {files ? <ProgressBar label="Files read" value={files.done} max={files.total} /> : null}
      {result ? <RunResult result={result} what="files" /> : null}
    </div>
  );
}

function MailboxIngest() {
  const store = useReports();
  const [connection, setConnection] = useState('');
  const [folder, setFolder] = useState('INBOX');
  const [after, setAfter] = useState<AfterIngest>('processed');
  const [processed, setProcessed] = useState(DEFAULT_PROCESSED_FOLDER);
  const chosen = connection || store.mailboxes[0]?.name || '';
  const run = store.mailboxRun;
  const start = () => void store.readMailbox({ connection: chosen, folder: folder.trim() || 'INBOX', after, ...(after === 'processed' ? { processedFolder: processed.trim() || DEFAULT_PROCESSED_FOLDER } : {}) });
  return (
    <div className="reports-ingest__part">
      <h2 className="reports-card__title">Read a reports mailbox</h2>
      {store.mailboxes.length === 0 ? (
        <p className="list-meta">Add an IMAP connection for the mailbox your rua and TLS-RPT addresses deliver to (Connections, g then c); it then appears here.</p>
      ) : (
        <form
          className="reports-mailbox-form"
          aria-label="Read a reports mailbox"
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <SelectField label="Connection" value={chosen} onChange={(e) => setConnection(e.target.value)} options={store.mailboxes.map((m) => ({ value: m.name, label: m.name }))} disabled={run !== null} />
          <TextField label="Folder" value={folder} onChange={(e) => setFolder(e.target.value)} disabled={run !== null} />
          <SelectField
            label="After reading"
            value={after}
            onChange={(e) => setAfter(e.target.value as AfterIngest)}
            options={[
              { value: 'processed', label: 'Move to a folder' },
              { value: 'flag', label: 'Leave and mark' },
            ]}
            disabled={run !== null}
          />
          {after === 'processed' ? <TextField label="Processed folder" value={processed} onChange={(e) => setProcessed(e.target.value)} disabled={run !== null} /> : null}
          <div className="reports-mailbox-form__actions">
            {run ? (
              <Button variant="danger" icon={<Icon name="stop" size={16} />} onClick={() => void store.cancelMailbox()}>
                Cancel
              </Button>
            ) : (
              <Button type="submit" variant="primary" icon={<Icon name="download" size={16} />}>
                Read mailbox
              </Button>
            )}
          </div>
        </form>
      )}
      {run ? (
        <div className="reports-progress" role="status">
          <ProgressBar label="Messages read" value={run.done} max={Math.max(run.total, 1)} />
          <span className="list-meta">{run.total > 0 ? `${run.done.toLocaleString()} of ${plural(run.total, 'message')} read` : `Looking for new messages in ${run.connection}…`}</span>
        </div>
      ) : null}
      {store.mailboxCancelled ? (
        <div className="banner" role="status">
          Cancelled after {store.mailboxCancelled.done.toLocaleString()} of {plural(store.mailboxCancelled.total, 'message')}; what was read is stored and moved, the rest waits for the next run.
        </div>
      ) : null}
      {store.mailboxError ? <ErrorMessage error={store.mailboxError} title="The mailbox could not be read." /> : null}
      {store.mailboxResult ? (
        <RunResult
          result={store.mailboxResult}
          what="mailbox"
          extra={`${plural(store.mailboxResult.messages, 'new message')} in ${store.mailboxResult.folder}; ${store.mailboxResult.handled.toLocaleString()} ${store.mailboxResult.after === 'processed' ? `moved to ${store.mailboxResult.processedFolder ?? ''}` : 'marked as stored'}.`}
        />
      ) : null}
    </div>
  );
}

function RunResult({ result, what, extra }: { readonly result: IngestResult; readonly what: 'files' | 'mailbox'; readonly extra?: string }) {
  const stored = result.stored.aggregate + result.stored.tls + result.stored.failure;
  return (
    <div className={`banner ${result.errors.length ? 'banner--danger' : 'banner--success'}`} role="status" aria-label={what === 'files' ? 'Files imported' : 'Mailbox read'}>
      <p>
        {extra ? `${extra} ` : ''}
        Stored {plural(stored, 'report')} ({result.stored.aggregate.toLocaleString()} aggregate, {result.stored.tls.toLocaleString()} TLS, {result.stored.failure.toLocaleString()} failure); {plural(result.duplicates, 'duplicate')} already stored; {plural(result.errors.length, 'error')}.
      </p>
      {result.errors.length > 0 ? <ErrorList errors={result.errors} /> : null}
    </div>
  );
}

function ErrorList({ errors }: { readonly errors: readonly ReportError[] }) {
  return (
    <ul className="reports-list" aria-label="Reports that could not be read">
      {errors.slice(0, 200).map((e, i) => (
        <li key={`${e.source} ${i}`}>
          <code>{e.source}</code>: {e.reason}
        </li>
      ))}
      {errors.length > 200 ? <li>… and {(errors.length - 200).toLocaleString()} more.</li> : null}
    </ul>
  );
}
