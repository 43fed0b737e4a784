import { useEffect, useRef } from 'react';
import { Button } from '../components/button.tsx';
import { routes } from './routes.ts';

/** The "?" overlay listing every keyboard shortcut. */
export function ShortcutSheet({ onClose }: { readonly onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog dialog--wide" role="dialog" aria-modal="true" aria-labelledby="shortcut-title">
        <h2 id="shortcut-title" className="dialog__title">
          Keyboard shortcuts
        </h2>
        <dl className="shortcut-list">
          {routes.map((r) => (
            <div key={r.id} className="shortcut-list__row">
              <dt>
                <kbd>g</kbd> then <kbd>{r.key}</kbd>
              </dt>
              <dd>Go to {r.label}</dd>
            </div>
          ))}
          <div className="shortcut-list__row">
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Filter the list on this page</dd>
          </div>
          <div className="shortcut-list__row">
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>Show or hide this sheet</dd>
          </div>
          <div className="shortcut-list__row">
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>Close a dialog</dd>
          </div>
        </dl>
        <div className="dialog__actions">
          <Button ref={closeRef} variant="primary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </div>
  );
}
