import { useEffect, useState, type FormEvent } from 'react';
import type { ResolverSettings } from '../../../shared/domain/dns.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { notify } from '../../state/toast-store.ts';

/** Settings › DNS resolver: which servers deliverability checks ask (the system's, or the ones given). */
export function ResolverSettingsCard() {
  const [settings, setSettings] = useState<ResolverSettings | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [mode, setMode] = useState<'system' | 'custom'>('system');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const show = (s: ResolverSettings) => {
    setSettings(s);
    setMode(s.servers.length > 0 ? 'custom' : 'system');
    setText(s.servers.join('\n'));
  };
  useEffect(() => {
    let live = true;
    void api.dns.resolver().then((r) => live && (r.ok ? show(r.value) : setError(r.error)));
    return () => {
      live = false;
    };
  }, []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const servers = mode === 'system' ? [] : text.split(/[\s,]+/).filter(Boolean);
    const result = await api.dns.setResolver(servers);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    show(result.value);
    notify({ tone: 'success', title: 'DNS resolver saved', body: `Checks now ask ${result.value.effective}.` });
  };
  return (
    <section className="card" aria-labelledby="resolver-title">
      <h2 id="resolver-title" className="card__title">
        DNS resolver
      </h2>
      {settings === null && error === null ? (
        <Spinner label="Loading the resolver setting" />
      ) : (
        <form onSubmit={(e) => void save(e)} className="resolver-form">
          <p className="muted">
            Deliverability checks ask: <code className="mono" data-testid="resolver-effective">{settings?.effective ?? '…'}</code>
            {settings?.fixedAtStart ? ' (fixed when Mailroom started, with --dns; the choice below applies after a restart without it)' : ''}
          </p>
          <fieldset className="radio-group">
            <legend className="field__label">Ask</legend>
            <label className="radio-card">
              <input type="radio" name="resolver" checked={mode === 'system'} onChange={() => setMode('system')} aria-label="Resolvers this computer uses" />
              <span className="radio-card__label" aria-hidden="true">This computer</span>
              <span className="radio-card__hint">The resolvers this computer uses</span>
            </label>
            <label className="radio-card">
              <input type="radio" name="resolver" checked={mode === 'custom'} onChange={() => setMode('custom')} aria-label="These DNS servers" />
              <span className="radio-card__label" aria-hidden="true">These servers</span>
              <span className="radio-card__hint">For example your own validating resolver; Spamhaus refuses public ones</span>
            </label>
          </fieldset>
          {mode === 'custom' ? (
            <div className="field">
              <label className="field__label" htmlFor="resolver-servers">
                DNS servers
              </label>
              <textarea id="resolver-servers" className="field__control" rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder={'192.0.2.53\n[2001:db8::53]:53'} spellCheck={false} aria-describedby="resolver-hint" />
              <span className="field__hint" id="resolver-hint">
                IP addresses, one per line, optionally with a port (192.0.2.53:5300).
              </span>
            </div>
          ) : null}
          {error ? <ErrorMessage error={error} compact /> : null}
          <div>
            <Button type="submit" variant="primary" busy={busy}>
              Save resolver
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
