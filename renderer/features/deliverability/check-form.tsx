import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { DomainProfile } from '../../../shared/domain/dns.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { notify, notifyError } from '../../state/toast-store.ts';
import { DomainInputNotes } from './domain-input-notes.tsx';
import { parseDomainList, useDeliverability } from './deliverability-store.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';

const PROFILES = [
  { value: 'hosted', label: 'Hosted (receives and sends mail)' },
  { value: 'parked', label: 'Parked (no mail at all)' },
  { value: 'bulk-sender', label: 'Bulk sender (Google/Yahoo/Microsoft rules)' },
];

/** Where the domains to check come from: pasted text, a CSV file or the connections' cache; starts and cancels the run. */
export function CheckForm({ text, onText }: { readonly text: string; readonly onText: (text: string) => void }) {
  const run = useDeliverability((s) => s.run);
  const check = useDeliverability((s) => s.check);
  const cancel = useDeliverability((s) => s.cancel);
  const [profile, setProfile] = useState<DomainProfile>('hosted');
  const [selectors, setSelectors] = useState('');
  const [loadingCache, setLoadingCache] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const parsed = parseDomainList(text);
  const { domains } = parsed;

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const loaded = parseDomainList(await file.text());
    onText([...loaded.domains, ...loaded.invalid.map((e) => e.input)].join('\n'));
    notify({ tone: loaded.invalid.length > 0 ? 'danger' : 'info', title: `Loaded ${loaded.domains.length} domains from ${file.name}`, ...(loaded.invalid.length > 0 ? { body: `${loaded.invalid.length} lines are not domain names and will not be checked.` } : {}) });
    e.target.value = '';
  };
  const fromCache = async () => {
    setLoadingCache(true);
    const result = await api.domains.list({});
    setLoadingCache(false);
    if (!result.ok) {
      notifyError('Could not read the domain cache', result.error);
      return;
    }
    const names = [...new Set(result.value.map((d) => d.name.toLowerCase()))].sort(naturalCompare);
    if (names.length === 0) notify({ tone: 'info', title: 'No cached domains yet', body: 'Refresh a connection on the Domains page first, or paste a list.' });
    else onText(names.join('\n'));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCancelling(false);
    void check(domains, profile, selectors.split(/[\s,]+/).filter(Boolean));
  };
  const stop = async () => {
    setCancelling(true);
    await cancel();
  };

  return (
    <form className="card dlv-form" onSubmit={submit} aria-label="Domains to check">
      <div className="dlv-form__list">
        <div className="field">
          <label className="field__label" htmlFor="dlv-domains">
            Domains
          </label>
          <textarea
            id="dlv-domains"
            className="field__control dlv-form__textarea"
            rows={5}
            value={text}
            onChange={(e) => onText(e.target.value)}
            placeholder={'example.com\nexample.org\n# one per line, or paste a CSV: the first column is the domain'}
            spellCheck={false}
            aria-describedby="dlv-domains-hint"
          />
          <span className="field__hint" id="dlv-domains-hint">
            {domains.length === 0 ? 'One per line, or a CSV whose first column is the domain.' : `${domains.length.toLocaleString()} ${domains.length === 1 ? 'domain' : 'domains'} to check`}
          </span>
          <DomainInputNotes parsed={parsed} />
        </div>
        <div className="dlv-form__sources">
          <Button size="sm" icon={<Icon name="upload" size={14} />} onClick={() => fileRef.current?.click()}>
            Load CSV…
          </Button>
          <input ref={fileRef} type="file" accept=".csv,.txt,text/csv,text/plain" className="visually-hidden" aria-label="CSV file of domains" onChange={(e) => void loadFile(e)} />
          <Button size="sm" icon={<Icon name="domains" size={14} />} busy={loadingCache} onClick={() => void fromCache()}>
            From cache
          </Button>
          {text ? (
            <Button size="sm" variant="ghost" onClick={() => onText('')}>
              Clear
            </Button>
          ) : null}
        </div>
      </div>
      <div className="dlv-form__options">
        <SelectField label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as DomainProfile)} options={PROFILES} />
        <TextField label="DKIM selectors" hint="Optional. When empty, common selectors (google, selector1, selector2, default, dkim, k1, s1…) are tried and the keys found are checked" value={selectors} onChange={(e) => setSelectors(e.target.value)} placeholder="s1 google selector1" spellCheck={false} />
        <div className="dlv-form__actions">
          <Button type="submit" variant="primary" icon={<Icon name="play" size={14} />} busy={run !== null} disabled={domains.length === 0}>
            {run ? 'Checking…' : `Check ${domains.length > 1 ? `${domains.length.toLocaleString()} domains` : 'domain'}`}
          </Button>
          {run ? (
            <Button variant="danger" icon={<Icon name="stop" size={14} />} busy={cancelling} onClick={() => void stop()}>
              Cancel
            </Button>
          ) : null}
        </div>
      </div>
      {run ? (
        <div className="dlv-progress" aria-live="polite">
          <ProgressBar value={run.done} max={run.total} label="Check progress" />
          <span className="muted">
            Checked {run.done.toLocaleString()} of {run.total.toLocaleString()}
            {run.current ? ` · last: ${run.current}` : ''}
          </span>
        </div>
      ) : null}
    </form>
  );
}
