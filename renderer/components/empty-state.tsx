import type { ReactNode } from 'react';

/** Props of EmptyState. */
export interface EmptyStateProps {
  readonly title: string;
  readonly children?: ReactNode;
  readonly icon?: ReactNode;
  /** Usually a Button or a link that gets the user going. */
  readonly action?: ReactNode;
}

/** The placeholder shown where a list has nothing yet, saying what to do next. */
export function EmptyState({ title, children, icon, action }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-label={title}>
      {icon ? <div className="empty-state__icon" aria-hidden="true">{icon}</div> : null}
      <h2 className="empty-state__title">{title}</h2>
      {children ? <div className="empty-state__body">{children}</div> : null}
      {action ? <div className="empty-state__action">{action}</div> : null}
    </section>
  );
}
