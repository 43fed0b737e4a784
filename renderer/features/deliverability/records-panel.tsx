import { useEffect, useState, type FormEvent } from 'react';
import type { DkimKeyInfo, ExpectedRecord } from '../../../shared/domain/dns.ts';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { notify, notifyError } from '../../state/toast-store.ts';
import { useDeliverability } from './deliverability-store.ts';

const STATUS_TONE: Record<ExpectedRecord['status'], BadgeTone> = { match: 'success', missing: 'danger', different: 'warning', unknown: 'neutral' };
const STATUS_LABEL: Record<ExpectedRecord['status'], string> = { match: 'Published', missing: 'Missing', different: 'Different', unknown: 'Could not look up' };

/** Record generator and DKIM keys: the expected record set next to what DNS holds, copy per record, zone-file export. */
export function RecordsPanel({ initialDomain }: { readonly initialDomain: string }) {
  const { records, recordsError, generating, generate, keys } = useDeliverability();
  const [domain, setDomain] = useState(initialDomain);
  const [mailHost, setMailHost] = useState('');
  const [includes, setIncludes] = useState('');
  const [rua, setRua] = useState('');
  const [mode, setMode] = useState<'testing' | 'enforce' | 'none'>('enforce');
  const [profile, setProfile] = useState<'hosted' | 'parked'>('hosted');
  useEffect(() => setDomain(initialDomain), [initialDomain]);

  const name = domain.trim().toLowerCase();
  const planKeys = keys.filter((k) => k.domain === name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const spfIncludes = includes.split(/[\s,]+/).filter(Boolean);
    void generate({
      domain: name,
      mailHost: mailHost.trim() || `mail.${name}`,
      profile,
      mtaStsMode: mode,
      ...(spfIncludes.length ? { spfIncludes } : {}),
      ...(rua.trim() ? { dmarcRua: rua.trim() } : {}),
      ...(planKeys.length ? { dkim: planKeys.map((k) => ({ selector: k.selector, publicKeyRecord: k.record })) } : {}),
    });
  };
  const download = () => {
    if (!records) return;
    const url = URL.createObjectURL(new Blob([records.zoneFile], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${records.domain}.zone`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const counts = records ? { match: records.records.filter((r) => r.status === 'match').length, total: records.records.length } : null;

  return (
    <div className="dlv-records">
      <div className="dlv-records__inputs">
        <form className="card dlv-plan" onSubmit={submit} aria-labelledby="dlv-plan-title">
          <h2 id="dlv-plan-title" className="card__title">
            Record generator
          </h2>
          <p className="muted card__subtitle">The full record set a domain should publish, compared with what DNS holds now.</p>
          <TextField label="Domain" value={domain} onChange={(e) => setDomain(e.target.value)} required placeholder="example.com" spellCheck={false} />
          <TextField label="Mail host" hint={`Default: mail.${name || 'example.com'}`} value={mailHost} onChange={(e) => setMailHost(e.target.value)} placeholder="mail.example.com" spellCheck={false} />
          <TextField label="SPF includes" hint="Provider includes, separated by spaces; existing ones are kept" value={includes} onChange={(e) => setIncludes(e.target.value)} spellCheck={false} />
          <TextField label="DMARC reports to" hint={`Default: mailto:dmarc-reports@${name || 'example.com'}`} value={rua} onChange={(e) => setRua(e.target.value)} placeholder="mailto:dmarc@example.com" spellCheck={false} />
          <div className="form__row">
            <SelectField label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as 'hosted' | 'parked')} options={[{ value: 'hosted', label: 'Hosted' }, { value: 'parked', label: 'Parked' }]} />
            <SelectField label="MTA-STS mode" value={mode} onChange={(e) => setMode(e.target.value as 'testing' | 'enforce' | 'none')} options={[{ value: 'testing', label: 'testing' }, { value: 'enforce', label: 'enforce' }, { value: 'none', label: 'none' }]} />
          </div>
          {planKeys.length > 0 ? <p className="list-meta">Includes {planKeys.length} generated DKIM {planKeys.length === 1 ? 'key' : 'keys'}: {planKeys.map((k) => k.selector).join(', ')}.</p> : null}
          <div className="form__actions">
            <Button type="submit" variant="primary" busy={generating} disabled={!name}>
              Generate records
            </Button>
          </div>
        </form>
        <DkimKeyCard domain={name} />
      </div>
      {recordsError ? <ErrorMessage error={recordsError} title="Could not generate the records." compact /> : null}
      {records && counts ? (
        <section className="card dlv-expected" aria-labelledby="dlv-expected-title">
          <header className="dlv-expected__head">
            <div>
              <h2 id="dlv-expected-title" className="card__title">
                Expected records for {records.domain}
              </h2>
              <p className="muted card__subtitle">
                {counts.match} of {counts.total} published as expected
              </p>
            </div>
            <div className="dlv-expected__actions">
              <CopyButton text={records.zoneFile} label="Copy zone file" />
              <Button size="sm" icon={<Icon name="download" size={14} />} onClick={download}>
                Export zone file
              </Button>
            </div>
          </header>
          {records.notes.length > 0 ? (
            <ul className="dlv-notes">
              {records.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <div className="table-wrap">
            <table className="table dlv-expected__table">
              <caption className="visually-hidden">Expected and actual records for {records.domain}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Actual</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Copy</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.records.map((r) => (
                  <tr key={`${r.name} ${r.type} ${r.value}`} aria-label={`${r.name} ${r.type}`}>
                    <td className="dlv-mono dlv-expected__name">{r.name}</td>
                    <td>
                      <span className="tag">{r.type}</span>
                    </td>
                    <td className="dlv-mono">{r.value}</td>
                    <td className={`dlv-mono ${r.status === 'match' ? '' : 'dlv-actual--off'}`}>{r.actual === null ? <span className="muted">could not look up</span> : r.actual.length === 0 ? <span className="muted">— none —</span> : r.actual.join('\n')}</td>
                    <td>
                      <Badge tone={STATUS_TONE[r.status]}>{STATUS_LABEL[r.status]}</Badge>
                    </td>
                    <td className="table__actions">
                      <CopyButton text={r.zoneValue} label="Copy" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {records.mtaStsPolicy ? (
            <details className="dlv-policy">
              <summary>MTA-STS policy file (serve at https://mta-sts.{records.domain}/.well-known/mta-sts.txt)</summary>
              <div className="dlv-code">
                <pre>{records.mtaStsPolicy}</pre>
                <CopyButton text={records.mtaStsPolicy} label="Copy policy" />
              </div>
            </details>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function DkimKeyCard({ domain }: { readonly domain: string }) {
  const keys = useDeliverability((s) => s.keys);
  const generateKey = useDeliverability((s) => s.generateKey);
  const [selector, setSelector] = useState('');
  const [algorithm, setAlgorithm] = useState<'rsa-2048' | 'ed25519'>('rsa-2048');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const error = await generateKey(domain, selector.trim(), algorithm);
    setBusy(false);
    if (error) notifyError('Could not generate the DKIM key', error, { object: `${selector.trim()}._domainkey` });
    else notify({ tone: 'success', title: `DKIM key ${selector.trim()} generated`, body: 'The private key is in the system keychain; publish the record below.' });
  };
  const mine = keys.filter((k: DkimKeyInfo) => k.domain === domain);
  return (
    <form className="card dlv-plan" onSubmit={(e) => void submit(e)} aria-labelledby="dlv-dkim-title">
      <h2 id="dlv-dkim-title" className="card__title">
        DKIM key
      </h2>
      <p className="muted card__subtitle">For platforms where Mailroom supplies the key. The private key goes to the system keychain only.</p>
      <div className="form__row">
        <TextField label="Selector" value={selector} onChange={(e) => setSelector(e.target.value)} required placeholder="s2026" spellCheck={false} />
        <SelectField label="Algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as 'rsa-2048' | 'ed25519')} options={[{ value: 'rsa-2048', label: 'RSA 2048' }, { value: 'ed25519', label: 'Ed25519' }]} />
      </div>
      <div className="form__actions">
        <Button type="submit" busy={busy} disabled={!domain || !selector.trim()}>
          Generate key
        </Button>
      </div>
      {mine.map((k) => (
        <div key={k.selector} className="dlv-key" aria-label={`DKIM record for ${k.selector}`}>
          <div className="dlv-key__head">
            <code>
              {k.selector}._domainkey.{k.domain}
            </code>
            <span className="tag">{k.algorithm}</span>
          </div>
          <div className="dlv-code">
            <pre>{k.record}</pre>
            <CopyButton text={k.record} label="Copy record" />
          </div>
        </div>
      ))}
    </form>
  );
}
