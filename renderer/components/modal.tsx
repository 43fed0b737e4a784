import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from './button.tsx';

/** Props of FormDialog. */
export interface FormDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly submitLabel: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly wide?: boolean;
  /** Disables the submit button (e.g. until a confirmation is typed). */
  readonly canSubmit?: boolean;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
}

/** A modal form: focuses its first field, Escape cancels, Enter submits through the native form. */
export function FormDialog({ title, children, submitLabel, danger = false, busy = false, wide = false, canSubmit = true, onSubmit, onCancel }: FormDialogProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panelRef.current?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select, textarea, button')?.focus();
    return () => previous?.focus?.();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onCancel();
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canSubmit && !busy) onSubmit();
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <form ref={panelRef} className={`dialog ${wide ? 'dialog--wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown} onSubmit={submit} noValidate>
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div className="dialog__form">{children}</div>
        <div className="dialog__actions">
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy} disabled={!canSubmit}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </div>
  );
}
