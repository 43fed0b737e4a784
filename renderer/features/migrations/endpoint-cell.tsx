import { endpointParts } from './migration-format.ts';

/** A mailbox pair in a table cell: the source user on top, the target below, servers muted; full URLs on hover. */
export function EndpointCell({ source, target }: { readonly source: string; readonly target: string }) {
  const s = endpointParts(source);
  const t = endpointParts(target);
  return (
    <>
      <span className="table__primary-text endpoint" title={source}>
        {s.user}
        {s.server ? <span className="endpoint__server"> · {s.server}</span> : null}
      </span>
      <span className="table__sub endpoint" title={target}>
        → {t.user}
        {t.server ? <span className="endpoint__server"> · {t.server}</span> : null}
      </span>
    </>
  );
}
