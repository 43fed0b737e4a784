import { SelectField, TextField } from '../../components/field.tsx';
import { SITE_FIELDS } from './site-settings-model.ts';

/** Props of SiteSettingsFields. */
export interface SiteSettingsFieldsProps {
  readonly values: Readonly<Record<string, string>>;
  readonly errorOf: (name: string) => string | undefined;
  readonly onChange: (name: string, value: string) => void;
}

/** The PostfixAdmin site's `$CONF` settings Mailroom follows when it writes, as one section of the edit form. */
export function SiteSettingsFields({ values, errorOf, onChange }: SiteSettingsFieldsProps) {
  return (
    <fieldset className="site-settings" aria-describedby="site-settings-note">
      <legend className="site-settings__legend">Site settings (config.local.php)</legend>
      <p id="site-settings-note" className="field__hint">
        Mailroom writes to this database as PostfixAdmin would with these settings: keep them as the site’s config.local.php has them.
      </p>
      {SITE_FIELDS.map((f) =>
        f.choices ? (
          <SelectField key={f.name} name={f.name} label={f.label} value={values[f.name] ?? ''} options={f.choices} onChange={(e) => onChange(f.name, e.target.value)} />
        ) : (
          <TextField
            key={f.name}
            name={f.name}
            label={f.label}
            hint={f.hint}
            error={errorOf(f.name)}
            value={values[f.name] ?? ''}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange(f.name, e.target.value)}
          />
        ),
      )}
    </fieldset>
  );
}
