import { useState, type FormEvent } from 'react';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Table } from '../../components/table.tsx';
import type { ExpectedRecord } from '../../../shared/domain/dns.ts';
import { useDeliverability } from './deliverability-store.ts';

const STATUS_TONE: Record<ExpectedRecord['status'], BadgeTone> = { match: 'success', missing: 'danger', different: 'warning', unknown: 'neutral' };

/** Record generator: the expected record set for a domain, next to what DNS holds, with copy buttons and a zone-file export. */
export function RecordsPanel() {
  const { records, recordsError, generating, generate } = useDeliverability();
  const [domain, setDomain] = useState('');
  const [mailHost, setMailHost] = useState('');
  const [includes, setIncludes] = useState('');
  const [profile, setProfile] = useState<'hosted' | 'parked'>('hosted');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const spfIncludes = includes.split(/[\s,]+/).filter(Boolean);
    void generate({ domain: domain.trim(), mailHost: mailHost.trim() || `mail.${domain.trim()}`, profile, ...(spfIncludes.length ? { spfIncludes } : {}) });
  };

  const download = () => {
    if (!records) return;
    const url = URL.createObjectURL(new Blob([records.zoneFile], { type: 'text/dns' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${records.domain}.zone`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section aria-labelledby="records-title">
      <h2 id="records-title">Record generator</h2>
      <form className="deliverability-form" onSubmit={submit}>
        <TextField label="Domain" value={domain} onChange={(e) => setDomain(e.target.value)} required placeholder="example.com" />
        <TextField label="Mail host" value={mailHost} onChange={(e) => setMailHost(e.target.value)} placeholder="mail.example.com" />
        <TextField label="SPF includes" hint="Provider includes, separated by spaces" value={includes} onChange={(e) => setIncludes(e.target.value)} />
        <SelectField label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as 'hosted' | 'parked')} options={[{ value: 'hosted', label: 'Hosted' }, { value: 'parked', label: 'Parked' }]} />
        <Button type="submit" variant="primary" busy={generating} disabled={!domain.trim()}>
          Generate
        </Button>
      </form>
      {recordsError ? <ErrorMessage error={recordsError} title="Could not generate the records." compact /> : null}
      {records ? (
        <>
          <div className="deliverability-toolbar">
            <Button onClick={download}>Export zone file</Button>
            <CopyButton text={records.zoneFile} label="Copy zone file" />
          </div>
          {records.notes.map((n) => (
            <p key={n} className="list-meta">
              {n}
            </p>
          ))}
          <Table
            caption={`Expected records for ${records.domain}`}
            head={
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Expected</th>
                <th scope="col">Actual</th>
                <th scope="col">Status</th>
                <th scope="col" />
              </tr>
            }
          >
            {records.records.map((r) => (
              <tr key={`${r.name} ${r.type} ${r.value}`}>
                <td>{r.name}</td>
                <td>{r.type}</td>
                <td className="deliverability-mono">{r.value}</td>
                <td className="deliverability-mono">{r.actual === null ? 'could not look up' : r.actual.join('\n') || '—'}</td>
                <td>
                  <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                </td>
                <td>
                  <CopyButton text={r.zoneValue} />
                </td>
              </tr>
            ))}
          </Table>
          {records.mtaStsPolicy ? (
            <details>
              <summary>MTA-STS policy file (serve at https://mta-sts.{records.domain}/.well-known/mta-sts.txt)</summary>
              <pre className="deliverability-mono">{records.mtaStsPolicy}</pre>
              <CopyButton text={records.mtaStsPolicy} />
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
