import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MigrationPlan, MigrationPresetName } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { Combobox } from '../../components/combobox.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { connectionOptions } from '../../lib/pick-options.ts';
import { useConnections } from '../../state/connections-store.ts';
import { PAIRS_EXAMPLE, parsePairs } from './pairs-csv.ts';
import { useMigrations } from './migrations-store.ts';
import { PRESET_OPTIONS } from './presets.ts';

/** How the new plan gets its mailbox pairs. */
export type PlanSource = 'csv' | 'connections';

/** The "New plan" dialog: a CSV of mailbox pairs (pasted or from a file) or two connections, plus the planner's options. */
export function NewPlanDialog({ initial = 'csv', onCreated, onCancel }: { readonly initial?: PlanSource; readonly onCreated: (plan: MigrationPlan) => void; readonly onCancel: () => void }) {
  const connections = useConnections();
  const [mode, setMode] = useState<PlanSource>(initial);
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<MigrationPresetName>('dovecot');
  const [sourcePreset, setSourcePreset] = useState<MigrationPresetName | ''>('');
  const [parallel, setParallel] = useState('4');
  const [start, setStart] = useState(() => localInput(new Date(Date.now() + 2 * 86_400_000)));
  const [inventory, setInventory] = useState(true);
  const [csv, setCsv] = useState('');
  const [sourceConnectionId, setSourceConnectionId] = useState('');
  const [targetConnectionId, setTargetConnectionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const csvId = useId();

  useEffect(() => {
    if (!useConnections.getState().loaded) void useConnections.getState().load();
  }, []);

  const parsed = useMemo(() => parsePairs(csv, { sourceConnection: sourceConnectionId !== '', targetConnection: targetConnectionId !== '' }), [csv, sourceConnectionId, targetConnectionId]);
  const parallelNumber = Number(parallel);
  const parallelError = Number.isInteger(parallelNumber) && parallelNumber >= 1 && parallelNumber <= 50 ? null : 'Between 1 and 50.';
  const startDate = new Date(start);
  const startError = Number.isNaN(startDate.getTime()) ? 'Pick a date and time.' : null;
  const connectionChoices = connectionOptions(connections.items, mode === 'csv' ? 'None — servers come from the URLs' : 'Choose a connection…');
  const csvReady = mode === 'csv' && parsed.pairs.length > 0 && parsed.errors.length === 0;
  const connectionsReady = mode === 'connections' && sourceConnectionId !== '' && targetConnectionId !== '' && sourceConnectionId !== targetConnectionId && parsed.errors.length === 0;
  const canSubmit = (csvReady || connectionsReady) && !parallelError && !startError;

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setCsv(await file.text());
  };

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    const common = {
      ...(name.trim() ? { name: name.trim() } : {}),
      preset,
      ...(sourcePreset ? { sourcePreset } : {}),
      parallel: parallelNumber,
      inventory,
      start: startDate.toISOString(),
    };
    const store = useMigrations.getState();
    let result: Result<MigrationPlan>;
    if (mode === 'csv') {
      result = await store.createFromCsv({ ...common, csv, ...(sourceConnectionId ? { sourceConnectionId } : {}), ...(targetConnectionId ? { targetConnectionId } : {}) });
    } else {
      const pairs = parsed.pairs.map((p) => ({ source: p.source.value, target: p.target.value }));
      result = await store.createFromConnections({ ...common, sourceConnectionId, targetConnectionId, ...(pairs.length ? { pairs } : {}) });
    }
    setBusy(false);
    if (result.ok) onCreated(result.value);
    else setFailure(`${result.error.code}: ${result.error.message}`);
  };

  return (
    <FormDialog title="New migration plan" submitLabel={inventory ? 'Create plan and take inventory' : 'Create plan'} wide busy={busy} canSubmit={canSubmit} onSubmit={() => void submit()} onCancel={onCancel}>
      <div className="plan-form">
        <Tabs
          label="Where the mailbox pairs come from"
          current={mode}
          onChange={setMode}
          items={[
            { id: 'csv', label: 'CSV of mailbox pairs' },
            { id: 'connections', label: 'Two connections' },
          ]}
        />
        <div className="plan-form__grid">
          <TextField label="Plan name" placeholder={`plan-${new Date().toISOString().slice(0, 10)}`} value={name} onChange={(e) => setName(e.target.value)} />
          <SelectField label="Target platform" hint="Sets size limits, rate caps and folder-name rules." value={preset} onChange={(e) => setPreset(e.target.value as MigrationPresetName)} options={PRESET_OPTIONS} />
          <SelectField label="Source platform" value={sourcePreset} onChange={(e) => setSourcePreset(e.target.value as MigrationPresetName | '')} options={[{ value: '', label: 'No source limits' }, ...PRESET_OPTIONS]} />
          <TextField label="Mailboxes in parallel" type="number" min={1} max={50} value={parallel} onChange={(e) => setParallel(e.target.value)} error={parallelError} />
          <TextField label="First pass starts" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} error={startError} hint="Sets the DNS cut-over timeline." />
          <Combobox label="Source connection" value={sourceConnectionId} onChange={setSourceConnectionId} options={connectionChoices} />
          <Combobox label="Target connection" value={targetConnectionId} onChange={setTargetConnectionId} options={connectionChoices} error={sourceConnectionId !== '' && sourceConnectionId === targetConnectionId ? 'Choose a different connection than the source.' : null} />
        </div>
        <div className="field">
          <div className="plan-form__csv-head">
            <label className="field__label" htmlFor={csvId}>
              {mode === 'csv' ? 'Mailbox pairs (CSV)' : 'Users to pair (optional)'}
            </label>
            {mode === 'csv' ? (
              <>
                <input ref={fileRef} type="file" accept=".csv,text/csv,text/plain" className="visually-hidden" tabIndex={-1} aria-label="CSV file" onChange={(e) => void readFile(e.target.files?.[0])} />
                <Button size="sm" variant="ghost" icon={<Icon name="upload" size={14} />} onClick={() => fileRef.current?.click()}>
                  Choose file…
                </Button>
              </>
            ) : null}
          </div>
          <textarea
            id={csvId}
            className="field__control plan-form__csv"
            spellCheck={false}
            placeholder={mode === 'csv' ? PAIRS_EXAMPLE : 'source,target\nalice@old.example,alice@new.example'}
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
            aria-describedby={`${csvId}-result`}
          />
          <p className="field__hint">
            {mode === 'csv'
              ? 'One pair a line: source,target[,source_password,target_password,source_dav,target_dav,include_shared]. Each side is imaps://user@host[:port], or just the user when a connection is chosen for that side. include_shared (yes/no, the same on every line) also copies folders other users share. Passwords go to the system keychain.'
              : 'Leave empty to pair the two connections’ own accounts, or list source,target users, one pair a line.'}
          </p>
        </div>
        <ParseResult id={`${csvId}-result`} pairs={parsed.pairs.length} errors={parsed.errors} hide={csv.trim() === ''} />
        <label className="checkbox">
          <input type="checkbox" checked={inventory} onChange={(e) => setInventory(e.target.checked)} />
          Take the inventory now (connects to the sources; untick to plan offline and take it later)
        </label>
        {failure ? (
          <p className="field__error" role="alert">
            The plan could not be created. <code>{failure}</code>
          </p>
        ) : null}
      </div>
    </FormDialog>
  );
}

function ParseResult({ id, pairs, errors, hide }: { readonly id: string; readonly pairs: number; readonly errors: readonly { line: number; text: string; message: string }[]; readonly hide: boolean }) {
  if (hide) return <div id={id} />;
  return (
    <div id={id} className="parse-result" aria-live="polite">
      <p className={errors.length ? 'parse-result__summary parse-result__summary--bad' : 'parse-result__summary'}>
        <Icon name={errors.length ? 'alert' : 'check'} size={14} />
        {pairs} {pairs === 1 ? 'pair' : 'pairs'} ready
        {errors.length ? ` · ${errors.length} ${errors.length === 1 ? 'line needs' : 'lines need'} fixing` : ''}
      </p>
      {errors.length ? (
        <ul className="parse-result__errors" aria-label="Lines with problems">
          {errors.slice(0, 50).map((e) => (
            <li key={e.line}>
              <span className="parse-result__line">Line {e.line}</span>
              <span>{e.message}</span>
            </li>
          ))}
          {errors.length > 50 ? <li className="muted">…and {errors.length - 50} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}

function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:00`;
}
