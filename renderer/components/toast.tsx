import { Button } from './button.tsx';
import { RichText } from './rich-text.tsx';

/** One notification. */
export interface ToastItem {
  readonly id: number;
  readonly tone: 'success' | 'danger' | 'info';
  readonly title: string;
  readonly body?: string;
  /** What the backend itself said, quoted under the body. */
  readonly reason?: string;
  /** The stable code and what the message concerns (connection, object), in small type. */
  readonly meta?: string;
  /** One action offered with the notification, e.g. Undo. */
  readonly action?: { readonly label: string; readonly run: () => void };
}

/** The stack of notifications in the corner; errors are announced assertively. */
export function ToastList({ toasts, onDismiss }: { readonly toasts: readonly ToastItem[]; readonly onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} role={t.tone === 'danger' ? 'alert' : 'status'}>
          <div className="toast__content">
            <p className="toast__title">{t.title}</p>
            {t.body ? (
              <p className="toast__body">
                <RichText text={t.body} />
              </p>
            ) : null}
            {t.reason ? (
              <p className="toast__reason">
                <span className="visually-hidden">The platform said: </span>
                <RichText text={t.reason} />
              </p>
            ) : null}
            {t.meta ? <p className="toast__meta">{t.meta}</p> : null}
            {t.action ? (
              <div className="toast__actions">
                <Button size="sm" onClick={() => (t.action!.run(), onDismiss(t.id))}>
                  {t.action.label}
                </Button>
              </div>
            ) : null}
          </div>
          <Button size="sm" variant="ghost" aria-label={`Dismiss: ${t.title}`} onClick={() => onDismiss(t.id)}>
            ×
          </Button>
        </div>
      ))}
    </div>
  );
}
