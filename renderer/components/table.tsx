import type { ReactNode } from 'react';

/** A styled data table; the caption is read by screen readers and hidden visually. */
export function Table({ caption, head, children, className }: { readonly caption: string; readonly head: ReactNode; readonly children: ReactNode; readonly className?: string }) {
  return (
    <div className="table-wrap">
      <table className={`table ${className ?? ''}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>{head}</thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
