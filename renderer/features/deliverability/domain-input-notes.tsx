import type { DomainListParse } from './deliverability-store.ts';

const SHOWN = 5;

/** Under the domain list: lines that will not be checked and why, and names converted to their xn-- form. */
export function DomainInputNotes({ parsed }: { readonly parsed: DomainListParse }) {
  const { invalid, converted } = parsed;
  if (invalid.length === 0 && converted.length === 0) return null;
  return (
    <div className="dlv-input-notes" aria-live="polite">
      {invalid.length > 0 ? (
        <div role="alert" className="dlv-input-notes__invalid">
          <strong>{invalid.length === 1 ? '1 line is not a domain name' : `${invalid.length.toLocaleString()} lines are not domain names`} and will not be checked:</strong>
          <ul>
            {invalid.slice(0, SHOWN).map((e, i) => (
              <li key={i}>
                <code className="mono">{e.input.slice(0, 80)}</code> — {e.problem}
              </li>
            ))}
            {invalid.length > SHOWN ? <li>… and {(invalid.length - SHOWN).toLocaleString()} more</li> : null}
          </ul>
        </div>
      ) : null}
      {converted.length > 0 ? (
        <div className="dlv-input-notes__converted">
          Checked in DNS form:
          <ul>
            {converted.slice(0, SHOWN).map((e, i) => (
              <li key={i}>
                <code className="mono">{e.input}</code> → <code className="mono">{e.domain}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
