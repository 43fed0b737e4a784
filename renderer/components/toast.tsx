import { Button } from './button.tsx';

/** One notification. */
export interface ToastItem {
  readonly id: number;
  readonly tone: 'success' | 'danger' | 'info';
  readonly title: string;
  readonly body?: string;
}

/** The stack of notifications in the corner; errors are announced assertively. */
export function ToastList({ toasts, onDismiss }: { readonly toasts: readonly ToastItem[]; readonly onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} role={t.tone === 'danger' ? 'alert' : 'status'}>
          <div className="toast__content">
            <p className="toast__title">{t.title}</p>
            {t.body ? <p className="toast__body">{t.body}</p> : null}
          </div>
          <Button size="sm" variant="ghost" aria-label={`Dismiss: ${t.title}`} onClick={() => onDismiss(t.id)}>
            ×
          </Button>
        </div>
      ))}
    </div>
  );
}
