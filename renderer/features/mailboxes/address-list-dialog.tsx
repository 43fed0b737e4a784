import { useMemo, useState } from 'react';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { Combobox } from '../../components/combobox.tsx';
import { TextField } from '../../components/field.tsx';
import { domainPickOptions } from '../../lib/pick-options.ts';
import { FormDialog } from '../../components/modal.tsx';

/** What the alias/group editor produces. */
export interface AddressListValue {
  readonly connectionId: string;
  readonly address: string;
  readonly name: string;
  readonly targets: readonly string[];
}

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Parses a list of addresses typed one per line (or separated by commas). */
export function parseAddresses(text: string): { readonly list: string[]; readonly invalid: string[] } {
  const list = [...new Set(text.split(/[\s,;]+/).map((t) => t.trim().toLowerCase()).filter(Boolean))];
  return { list, invalid: list.filter((t) => !ADDRESS.test(t)) };
}

/** The editor of an alias, a catch-all or a group: the address on a domain and its targets or members. */
export function AddressListDialog(props: {
  readonly kind: 'alias' | 'group';
  readonly domains: readonly CachedDomain[];
  readonly initial?: AddressListValue;
  readonly onSubmit: (value: AddressListValue) => Promise<boolean>;
  readonly onClose: () => void;
}) {
  const { kind, domains, initial, onSubmit, onClose } = props;
  const initialLocal = initial ? initial.address.slice(0, initial.address.lastIndexOf('@')) : '';
  const choices = useMemo(() => domainPickOptions(domains), [domains]);
  const initialDomain = initial ? `${initial.connectionId}/${initial.address.slice(initial.address.lastIndexOf('@') + 1)}` : (choices[0]?.value ?? '');
  const [local, setLocal] = useState(initialLocal);
  const [domainKey, setDomainKey] = useState(initialDomain);
  const [name, setName] = useState(initial?.name ?? '');
  const [targets, setTargets] = useState(initial?.targets.join('\n') ?? '');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const parsed = parseAddresses(targets);
  const localOk = kind === 'alias' ? local === '' || local === '*' || /^[a-z0-9._%+-]+$/i.test(local) : /^[a-z0-9._%+-]+$/i.test(local);
  const noun = kind === 'alias' ? 'Targets' : 'Members';
  const submit = async () => {
    setTried(true);
    if (!localOk || parsed.invalid.length || parsed.list.length === 0 || !domainKey) return;
    const slash = domainKey.indexOf('/');
    const domain = domainKey.slice(slash + 1);
    setBusy(true);
    const address = local === '' || local === '*' ? `@${domain}` : `${local.toLowerCase()}@${domain}`;
    const done = await onSubmit({ connectionId: domainKey.slice(0, slash), address, name: name.trim(), targets: parsed.list });
    setBusy(false);
    if (done) onClose();
  };
  return (
    <FormDialog title={initial ? `Edit ${initial.address}` : kind === 'alias' ? 'New alias' : 'New group'} submitLabel={initial ? 'Save' : kind === 'alias' ? 'Create alias' : 'Create group'} wide busy={busy} onSubmit={submit} onCancel={onClose}>
      <div className="form__row">
        <TextField
          label={kind === 'alias' ? 'Alias address' : 'Group address'}
          className="form__grow"
          value={local}
          disabled={Boolean(initial)}
          onChange={(e) => setLocal(e.target.value.trim())}
          spellCheck={false}
          autoComplete="off"
          placeholder={kind === 'alias' ? 'sales (empty or * for the catch-all)' : 'team'}
          error={tried && !localOk ? 'Letters, digits and . _ % + - only.' : null}
        />
        <Combobox label="Domain" className="form__grow" value={domainKey} disabled={Boolean(initial)} onChange={setDomainKey} options={initial && !choices.some((o) => o.value === domainKey) ? [...choices, { value: domainKey, label: `@${domainKey.slice(domainKey.indexOf('/') + 1)}` }] : choices} />
      </div>
      {kind === 'group' ? <TextField label="Group name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Sales team" /> : null}
      <div className="field">
        <label className="field__label" htmlFor="address-list-targets">
          {noun}
        </label>
        <textarea id="address-list-targets" className="field__control" rows={5} value={targets} onChange={(e) => setTargets(e.target.value)} placeholder="one address per line" spellCheck={false} />
        {tried && parsed.list.length === 0 ? <p className="field__error">Enter at least one address.</p> : null}
        {parsed.invalid.length ? <p className="field__error">Not an address: {parsed.invalid.join(', ')}</p> : <p className="field__hint">{parsed.list.length} {noun.toLowerCase()}</p>}
      </div>
    </FormDialog>
  );
}
