import type { AppError } from '../../shared/errors/result.ts';
import { describeError, type ErrorContext } from '../lib/error-text.ts';
import { useAppInfo } from '../state/app-info-store.ts';
import { RichText } from './rich-text.tsx';

/** An error as the user sees it: the plain sentence, the backend's own reason, then the stable code, what it concerns and the technical message. */
export function ErrorMessage({ error, title, compact = false, context }: { readonly error: AppError; readonly title?: string; readonly compact?: boolean; readonly context?: ErrorContext }) {
  const command = useAppInfo((s) => s.command);
  const { title: sentence, reason, details, context: where } = describeError(error, context, command);
  return (
    <div className={`error-message ${compact ? 'error-message--compact' : ''}`} role="alert">
      {title ? <p className="error-message__title">{title}</p> : null}
      <p className="error-message__text">
        <RichText text={sentence} />
      </p>
      {reason ? (
        <p className="error-message__reason">
          <span className="visually-hidden">The platform said: </span>
          <RichText text={reason} />
        </p>
      ) : null}
      <p className="error-message__details">
        <span className="visually-hidden">Details: </span>
        {where ? <span className="error-message__context">{where} · </span> : null}
        <code>{reason === error.message ? error.code : details}</code>
      </p>
    </div>
  );
}
