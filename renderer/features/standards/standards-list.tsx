import { useRef } from 'react';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { downloadText } from '../../lib/csv.ts';
import { modesText, targetsText } from './drift-model.ts';
import { useStandards, type StandardEntry } from './standards-store.ts';

/** Stored standards: pick one, import a JSON file, export one, and evaluate the chosen one now. */
export function StandardsList() {
  const store = useStandards();
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="card drift-card" aria-labelledby="drift-standards-title">
      <div className="drift-card__head">
        <h2 id="drift-standards-title" className="drift-card__title">
          Standards
        </h2>
        <input
          ref={input}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label="Standard file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void store.importFile(file);
          }}
        />
        <Button icon={<Icon name="upload" size={16} />} onClick={() => input.current?.click()}>
          Import JSON…
        </Button>
        <Button variant="primary" icon={<Icon name="refresh" size={16} />} busy={store.evaluating} disabled={!store.selected || store.evaluating} onClick={() => void store.evaluate()}>
          {store.evaluating ? 'Evaluating…' : 'Evaluate now'}
        </Button>
        {store.evaluating ? (
          <Button icon={<Icon name="stop" size={16} />} onClick={() => void store.cancel()}>
            Cancel evaluation
          </Button>
        ) : null}
      </div>
      {store.importError ? (
        <p className="field__error" role="alert">
          {store.importError}
        </p>
      ) : null}
      {store.imported ? (
        <p className="muted" role="status">
          Imported “{store.imported.name}” version {store.imported.version}.
        </p>
      ) : null}
      {store.evaluating ? (
        <div role="status" className="drift-evaluating">
          <Spinner size="sm" /> Evaluating “{store.selected}” against every domain it covers. The service runs it to the end; this button is back when it is done.
        </div>
      ) : null}
      {store.evaluateError ? <ErrorMessage error={store.evaluateError} title="The evaluation failed." /> : null}
      <table className="table drift-standards" aria-label="Stored standards">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Targets</th>
            <th scope="col">Rules</th>
            <th scope="col">Modes</th>
            <th scope="col">Last evaluated</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {store.standards.map((s) => (
            <StandardRow key={s.summary.name} entry={s} selected={s.summary.name === store.selected} onSelect={() => void store.select(s.summary.name)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function StandardRow({ entry, selected, onSelect }: { readonly entry: StandardEntry; readonly selected: boolean; readonly onSelect: () => void }) {
  const { summary, document } = entry;
  const exportJson = () => downloadText(`${summary.name.replace(/[^\w.-]+/g, '-')}.json`, `${JSON.stringify(document, null, 2)}\n`, 'application/json');
  return (
    <tr aria-selected={selected} className={selected ? 'drift-standards__selected' : undefined}>
      <th scope="row">
        <Button size="sm" variant="ghost" onClick={onSelect} aria-pressed={selected}>
          {summary.name}
        </Button>
      </th>
      <td>{summary.version}</td>
      <td>{targetsText(document.targets)}</td>
      <td>{summary.rules}</td>
      <td>{modesText(document)}</td>
      <td>{summary.lastEvaluatedAt ? <RelativeTime iso={summary.lastEvaluatedAt} /> : <span className="muted">never</span>}</td>
      <td>
        <Button size="sm" icon={<Icon name="download" size={14} />} onClick={exportJson} aria-label={`Export ${summary.name} as JSON`}>
          Export
        </Button>
      </td>
    </tr>
  );
}
