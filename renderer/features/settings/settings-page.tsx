import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/domain/app.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useTheme, type ThemePreference } from '../../state/theme-store.ts';
import { ResolverSettingsCard } from './resolver-settings.tsx';
import { RelaySettingsCard } from './relay-settings.tsx';
import { PriceSettingsCard } from './price-settings.tsx';
import { AlertsSettingsCard } from './alerts-settings.tsx';
import { useSectionFocus } from './use-section-focus.ts';
import './settings.css';

const THEMES: readonly { readonly value: ThemePreference; readonly label: string; readonly hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Follow the operating system’s light or dark setting' },
  { value: 'light', label: 'Light', hint: 'Always light' },
  { value: 'dark', label: 'Dark', hint: 'Always dark' },
];

/** Settings: appearance, the DNS resolver, invitations (SMTP relay), the price table, alerts, and facts about this Mailroom instance. */
export function SettingsPage() {
  const { preference, setPreference } = useTheme();
  const [info, setInfo] = useState<Result<AppInfo> | null>(null);
  useEffect(() => {
    let live = true;
    void api.app.info().then((r) => live && setInfo(r));
    return () => {
      live = false;
    };
  }, []);
  useSectionFocus();
  return (
    <div className="page page--narrow">
      <PageHeader title="Settings" />
      <section className="card" aria-labelledby="appearance-title">
        <h2 id="appearance-title" className="card__title">
          Appearance
        </h2>
        <fieldset className="radio-group">
          <legend className="field__label">Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="radio-card">
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={preference === t.value}
                aria-label={t.label}
                aria-describedby={`theme-${t.value}-hint`}
                onChange={() => setPreference(t.value)}
              />
              <span className="radio-card__label" aria-hidden="true">
                {t.label}
              </span>
              <span id={`theme-${t.value}-hint`} className="radio-card__hint">
                {t.hint}
              </span>
            </label>
          ))}
        </fieldset>
      </section>
      <ResolverSettingsCard />
      <RelaySettingsCard secretStore={info?.ok && info.value.vault.kind === 'file' ? 'the vault file' : 'the OS keychain'} />
      <PriceSettingsCard />
      <AlertsSettingsCard secretStore={info?.ok && info.value.vault.kind === 'file' ? 'the vault file' : 'the OS keychain'} />
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title" className="card__title">
          About this Mailroom
        </h2>
        {info === null ? (
          <Spinner label="Loading app information" />
        ) : !info.ok ? (
          <ErrorMessage error={info.error} compact />
        ) : (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.value.version}</dd>
            <dt>Running as</dt>
            <dd>{info.value.transport === 'electron' ? 'Desktop app' : <>Browser console (started with <code>{info.value.command ?? 'mailroom serve'}</code>, loopback only)</>}</dd>
            <dt>Operator</dt>
            <dd>{info.value.operator}</dd>
            <dt>Data folder</dt>
            <dd className="facts__copy">
              <code className="mono">{info.value.dataDir}</code>
              <CopyButton text={info.value.dataDir} />
            </dd>
            <dt>Secrets</dt>
            <dd>{info.value.vault.message}</dd>
            <dt>Node.js</dt>
            <dd>{info.value.node}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}
