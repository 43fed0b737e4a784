import { useEffect, useState } from 'react';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import type { Capabilities, DkimSigner } from '../../../shared/domain/provisioning.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { canDo } from '../../lib/capability-support.ts';
import { errorText } from '../../lib/error-text.ts';
import { notify } from '../../state/toast-store.ts';
import { platformName } from '../../lib/platform-name.ts';

type Mode = 'install' | 'generate';
const SELECTOR = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Which DKIM keys sign a domain's mail on its platform, and getting one there: the keychain's key, or the platform's own. */
export function DkimDialog({ domain, capabilities, onClose }: { readonly domain: CachedDomain; readonly capabilities: Capabilities | null; readonly onClose: () => void }) {
  const [keys, setKeys] = useState<readonly DkimSigner[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [selector, setSelector] = useState('');
  const [busy, setBusy] = useState(false);
  const modes: Mode[] = [...(canDo(capabilities?.dkim.install) ? (['install'] as const) : []), ...(canDo(capabilities?.dkim.generate) ? (['generate'] as const) : [])];
  const [mode, setMode] = useState<Mode>(modes[0] ?? 'install');
  const load = async () => {
    const r = await api.domains.dkimKeys(domain.connectionId, domain.name);
    setKeys(r.ok ? r.value : []);
    setLoadError(r.ok ? null : r.error);
  };
  useEffect(() => {
    void load();
  }, [domain.connectionId, domain.name]);
  const valid = SELECTOR.test(selector.trim());
  const submit = async () => {
    setBusy(true);
    const key = { domain: domain.name, selector: selector.trim() };
    const r = mode === 'install' ? await api.domains.installDkim(domain.connectionId, key) : await api.domains.generateDkim(domain.connectionId, key);
    setBusy(false);
    if (r.ok) {
      notify({ tone: 'success', title: `${domain.connectionName} signs ${domain.name} with ${r.value.selector}`, body: 'Publish its record on the Deliverability page if DNS does not have it yet.' });
      void load();
    } else {
      notify({ tone: 'danger', title: 'The key was not installed', body: r.error.code === 'notFound' ? 'No key of that selector in the keychain: generate it on the Deliverability page first.' : errorText(r.error.code) });
    }
  };
  const manual = capabilities?.dkim.install.manual ?? capabilities?.dkim.generate.manual;
  return (
    <FormDialog title={`DKIM signing of ${domain.name}`} submitLabel={mode === 'install' ? 'Install key from the keychain' : `Have ${platformName(domain.connectionKind)} generate a key`} busy={busy} wide onSubmit={submit} onCancel={onClose} canSubmit={modes.length > 0 && valid}>
      <section aria-label={`Keys signing ${domain.name}`}>
        {keys === null ? (
          <p className="muted">Reading the keys {domain.connectionName} signs with…</p>
        ) : loadError ? (
          <p className="muted">{loadError.code === 'backend.unsupported' ? `${domain.connectionName} does not tell Mailroom which keys it signs with.` : errorText(loadError.code)}</p>
        ) : keys.length === 0 ? (
          <p className="muted">No DKIM key signs {domain.name} on {domain.connectionName}.</p>
        ) : (
          <ul>
            {keys.map((k) => (
              <li key={k.selector} aria-label={`DKIM key ${k.selector}`}>
                <code>
                  {k.selector}._domainkey.{k.domain}
                </code>{' '}
                <Badge>{k.algorithm ?? 'key'}</Badge> <Badge tone={k.active ? 'success' : 'neutral'}>{k.active ? 'Signs' : 'Not signing'}</Badge>{' '}
                <span className="muted">{k.fromKeychain ? 'key from this Mailroom’s keychain' : `${domain.connectionName}’s own key`}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {modes.length === 0 ? (
        <p className="muted">
          {domain.connectionName} does not take a key from Mailroom{manual ? `: ${manual}` : '.'} To sign elsewhere, export the key with <code>mailroom dkim export</code>.
        </p>
      ) : (
        <>
          {modes.length > 1 ? <SelectField label="Key" value={mode} onChange={(e) => setMode(e.target.value as Mode)} options={[{ value: 'install', label: 'The keychain key of this selector' }, { value: 'generate', label: `A new key ${platformName(domain.connectionKind)} generates` }]} /> : null}
          <TextField label="Selector" value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="s2026" spellCheck={false} autoComplete="off" hint={mode === 'install' ? 'A key generated on the Deliverability page; its private half goes from the keychain to the platform only.' : undefined} error={selector && !valid ? 'Letters, digits, dots and hyphens.' : null} />
        </>
      )}
    </FormDialog>
  );
}
