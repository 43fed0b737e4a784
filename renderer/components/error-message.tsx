import type { AppError } from '../../shared/errors/result.ts';
import { describeError } from '../lib/error-text.ts';

/** An error as the user sees it: the plain sentence, then the stable code and technical message. */
export function ErrorMessage({ error, title, compact = false }: { readonly error: AppError; readonly title?: string; readonly compact?: boolean }) {
  const { title: sentence, details } = describeError(error);
  return (
    <div className={`error-message ${compact ? 'error-message--compact' : ''}`} role="alert">
      {title ? <p className="error-message__title">{title}</p> : null}
      <p className="error-message__text">{sentence}</p>
      <p className="error-message__details">
        <span className="visually-hidden">Details: </span>
        <code>{details}</code>
      </p>
    </div>
  );
}
