import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface FieldFrame {
  readonly label: string;
  readonly hint?: ReactNode;
  /** Validation message; marks the control invalid and is announced. */
  readonly error?: string | null;
}

/** Props of TextField: a native input plus label, hint and error. */
export type TextFieldProps = FieldFrame & InputHTMLAttributes<HTMLInputElement>;

/** A labelled text input with an optional hint and validation message. */
export function TextField({ label, hint, error, id, className, ...input }: TextFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const { describedBy, frame } = frameParts(inputId, hint, error);
  return (
    <div className={`field ${error ? 'field--invalid' : ''} ${className ?? ''}`}>
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      <input {...input} id={inputId} className="field__control" aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {frame}
    </div>
  );
}

/** Props of SelectField. */
export type SelectFieldProps = FieldFrame &
  SelectHTMLAttributes<HTMLSelectElement> & { readonly options: readonly { readonly value: string; readonly label: string }[] };

/** A labelled native select. */
export function SelectField({ label, hint, error, id, options, className, ...select }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const { describedBy, frame } = frameParts(selectId, hint, error);
  return (
    <div className={`field ${error ? 'field--invalid' : ''} ${className ?? ''}`}>
      <label className="field__label" htmlFor={selectId}>
        {label}
      </label>
      <select {...select} id={selectId} className="field__control" aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {frame}
    </div>
  );
}

/** The ids and the hint/error paragraphs around a labelled control. */
export function frameParts(id: string, hint: ReactNode, error: string | null | undefined) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const frame = (
    <>
      {error ? (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
    </>
  );
  return { describedBy, frame };
}
